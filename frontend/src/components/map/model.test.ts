import { describe, expect, it } from "vitest";
import type { Claim, ClaimLink, Comment, Reading } from "../../api/resources";
import { senseCanvasColor } from "./color";
import { NO_SENSE_COLOR, buildMapModel, claimSense, defaultTerm, linkPhrase, termsRead, truncate } from "./model";

function comment(id: number, parent: number | null, author = `author ${id}`): Comment {
  return { id, thread: 1, parent, author, posted_at: null, text: "", context: "", url: "", score: null, position: id };
}

function reading(id: number, claim: number, term: number, definition: number, up = 1, down = 0, extra: Partial<Reading> = {}): Reading {
  return {
    id,
    kind: "sense",
    claim,
    term,
    term_name: `term ${term}`,
    definition,
    definition_label: `sense ${definition}`,
    definition_text: `text ${definition}`,
    decomposition: null,
    decomposition_name: "",
    origin: "person",
    confidence: null,
    votes_up: up,
    votes_down: down,
    my_vote: 0,
    created_by: "alice",
    created_at: "",
    ...extra,
  };
}

function claim(id: number, commentId: number, readings: Reading[] = [], start = 0): Claim {
  return {
    id,
    thread: 1,
    comment: commentId,
    author: `author ${commentId}`,
    start,
    end: start + 5,
    quote: `quote ${id}`,
    prefix: "",
    suffix: "",
    anchor: "anchored",
    note: "",
    readings,
    created_by: "alice",
    created_at: "",
    updated_at: "",
  };
}

function link(id: number, source: number, target: number, kind: ClaimLink["kind"]): ClaimLink {
  return { id, thread: 1, source, target, kind, created_by: "alice", created_at: "" };
}

describe("termsRead and defaultTerm", () => {
  it("lists each term read in the thread once, by name, and prefers the most senses", () => {
    const claims = [
      claim(1, 1, [reading(1, 1, 7, 70), reading(2, 1, 3, 30)]),
      claim(2, 2, [reading(3, 2, 7, 71)]),
      claim(3, 2, [{ ...reading(4, 3, 9, 0), kind: "decomposition", term: null, definition: null }]),
    ];
    const terms = termsRead(claims);
    expect(terms).toEqual([
      { id: 3, name: "term 3", senses: 1, readings: 1 },
      { id: 7, name: "term 7", senses: 2, readings: 2 },
    ]);
    expect(defaultTerm(terms)).toBe(7);
    expect(defaultTerm([])).toBeUndefined();
  });
});

describe("claimSense", () => {
  it("takes the accepted reading over a contested or unvoted one", () => {
    const c = claim(1, 1, [reading(1, 1, 7, 70, 1, 1), reading(2, 1, 7, 71, 3, 0), reading(3, 1, 8, 80)]);
    expect(claimSense(c, 7)).toMatchObject({ definition: 71, state: "accepted", label: "sense 71" });
    expect(claimSense(c, 8)?.definition).toBe(80);
    expect(claimSense(c, 9)).toBeNull();
  });

  it("prefers a person's reading to a suggestion's", () => {
    const c = claim(1, 1, [reading(1, 1, 7, 70, 1, 0, { origin: "suggestion" }), reading(2, 1, 7, 71, 1, 0)]);
    expect(claimSense(c, 7)?.definition).toBe(71);
  });

  it("shows a contested sense as contested, and a rejected one as none", () => {
    expect(claimSense(claim(1, 1, [reading(1, 1, 7, 70, 2, 2)]), 7)?.state).toBe("contested");
    expect(claimSense(claim(1, 1, [reading(1, 1, 7, 70, 0, 3)]), 7)).toBeNull();
  });
});

describe("buildMapModel", () => {
  const comments = [comment(1, null), comment(2, 1), comment(3, 2), comment(4, 1), comment(5, null)];
  const claims = [
    claim(10, 1, [reading(1, 10, 7, 70, 3, 0)]),
    claim(30, 3, [reading(2, 30, 7, 71, 3, 0)]),
    claim(31, 3, [], 50),
    claim(40, 4, [reading(3, 40, 7, 71, 1, 1)]),
  ];
  const links = [link(1, 30, 10, "attacks"), link(2, 40, 10, "supports"), link(3, 40, 999, "restates")];
  const model = buildMapModel({ comments, claims, links, term: 7 });
  const byId = new Map(model.elements.map((e) => [e.data.id, e]));

  it("groups claims in comment nodes, keeping the comments on the reply path", () => {
    expect(byId.get("comment-1")?.data.label).toBe("author 1");
    expect(byId.get("comment-2")?.classes).toBe("comment empty"); // no claims, but 3 replies to it
    expect(byId.has("comment-5")).toBe(false); // no claims, nothing below it
    expect(byId.get("claim-30")?.data.parent).toBe("comment-3");
    expect(byId.get("reply-3")?.data).toMatchObject({ source: "comment-2", target: "comment-3" });
    expect(model.order).toEqual([10, 30, 31, 40]);
  });

  it("colours each claim by the sense it gives the term", () => {
    expect(byId.get("claim-10")?.data.color).toBe(senseCanvasColor(70));
    expect(byId.get("claim-30")?.data.color).toBe(senseCanvasColor(71));
    expect(byId.get("claim-31")?.data.color).toBe(NO_SENSE_COLOR);
    expect(byId.get("claim-31")?.classes).toBe("claim unread");
    expect(byId.get("claim-40")?.classes).toBe("claim read contested");
    expect(model.senses.map((s) => [s.definition, s.claims])).toEqual([
      [70, 1],
      [71, 2],
    ]);
    expect(model.unread).toBe(1);
  });

  it("draws typed edges only between claims on the map", () => {
    expect(byId.get("link-1")?.data).toMatchObject({ source: "claim-30", target: "claim-10", kind: "attacks" });
    expect(byId.get("link-1")?.classes).toBe("link attacks");
    expect(byId.has("link-3")).toBe(false);
  });

  it("puts parents before their children, as Cytoscape wants", () => {
    const index = (id: string) => model.elements.findIndex((e) => e.data.id === id);
    expect(index("comment-3")).toBeLessThan(index("claim-30"));
  });

  it("lists the same content as rows for the text alternative", () => {
    expect(model.rows.map((r) => [r.id, r.author, r.replyTo, r.claims.map((c) => c.id)])).toEqual([
      [1, "author 1", null, [10]],
      [3, "author 3", "author 2", [30, 31]],
      [4, "author 4", "author 1", [40]],
    ]);
    expect(model.rows[0].claims[0].links).toEqual([
      { id: 1, kind: "attacks", other: 30, direction: "from" },
      { id: 2, kind: "supports", other: 40, direction: "from" },
    ]);
  });

  it("leaves every claim uncoloured without a term", () => {
    const plain = buildMapModel({ comments, claims, links, term: undefined });
    expect(plain.senses).toEqual([]);
    expect(plain.unread).toBe(4);
  });

  it("keeps user text as plain label data", () => {
    const evil = '<img src=x onerror="alert(1)">';
    const m = buildMapModel({ comments: [comment(1, null, evil)], claims: [{ ...claim(1, 1), quote: evil }], links: [], term: undefined });
    expect(m.elements.find((e) => e.data.id === "claim-1")?.data.label).toBe(evil);
    expect(m.elements.find((e) => e.data.id === "comment-1")?.data.label).toBe(evil);
  });
});

describe("truncate and linkPhrase", () => {
  it("shortens long quotes on a word and flattens whitespace", () => {
    expect(truncate("a  b\nc")).toBe("a b c");
    expect(truncate("x".repeat(200), 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("says a link from either end", () => {
    expect(linkPhrase("attacks", "to")).toBe("attacks");
    expect(linkPhrase("attacks", "from")).toBe("attacked by");
  });
});
