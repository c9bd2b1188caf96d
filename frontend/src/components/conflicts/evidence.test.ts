import { describe, expect, it } from "vitest";
import { claimHref, claimsById, normaliseEvidence } from "./evidence";

const def = (id: number, term = 1, label = `d${id}`) => ({
  id,
  term,
  term_name: term === 1 ? "outer alignment" : "other",
  label,
  text: `text ${id}`,
});
const claim = (id: number, extra: object = {}) => ({
  claim: id,
  comment: id * 10,
  author: `author ${id}`,
  quote: `quote ${id}`,
  reading: id + 100,
  votes_up: 3,
  votes_down: 0,
  ...extra,
});

describe("normaliseEvidence", () => {
  it("puts the two senses of an equivocation side by side", () => {
    const view = normaliseEvidence("equivocation", {
      term: { id: 1, name: "outer alignment" },
      senses: [
        { definitions: [def(1)], claims: [claim(3, { definition: 1 })] },
        { definitions: [def(2), def(5)], claims: [claim(6, { definition: 2 })] },
      ],
      reply_chain: [[3, 6]],
    });
    expect(view.columns.map((c) => c.heading)).toEqual(["Sense A", "Sense B"]);
    expect(view.columns[1].definitions.map((d) => d.id)).toEqual([2, 5]);
    expect(view.columns[0].claims[0]).toEqual({
      claim: 3,
      comment: 30,
      author: "author 3",
      quote: "quote 3",
      reading: 103,
      votesUp: 3,
      votesDown: 0,
      definition: 1,
    });
    expect(view.replyChain).toEqual([[3, 6]]);
    expect(view.definitions.map((d) => d.id)).toEqual([1, 2, 5]);
    expect([...claimsById(view).keys()]).toEqual([3, 6]);
  });

  it("gives each decomposition its side of every shared term", () => {
    const view = normaliseEvidence("decomposition_mismatch", {
      decompositions: [
        { id: 1, name: "Training split", claims: [claim(15)] },
        { id: 3, name: "Deployment split", claims: [claim(14)] },
      ],
      shared_terms: [{ id: 1, name: "outer alignment", definitions: [def(1), def(3)] }],
      reply_chain: [[15, 14]],
    });
    expect(view.columns.map((c) => [c.heading, c.definitions.map((d) => d.id), c.claims.map((c) => c.claim)])).toEqual([
      ["Training split", [1], [15]],
      ["Deployment split", [3], [14]],
    ]);
  });

  it("shows a contested reading next to its claim, with the tally", () => {
    const view = normaliseEvidence("contested_reading", {
      reading: 3,
      claim: claim(9, { votes_up: 2, votes_down: 2 }),
      votes_up: 2,
      votes_down: 2,
      term: { id: 2, name: "inner alignment" },
      definition: { id: 4, label: "after deployment", text: "t" },
    });
    expect(view.columns[0].claims.map((c) => c.claim)).toEqual([9]);
    expect(view.columns[1]).toMatchObject({
      heading: "Read with this sense of “inner alignment”",
      tally: { up: 2, down: 2 },
      definitions: [{ id: 4, term: 2, termName: "inner alignment", label: "after deployment" }],
    });
  });

  it("names the decomposition of a contested decomposition reading", () => {
    const view = normaliseEvidence("contested_reading", {
      claim: claim(9),
      votes_up: 1,
      votes_down: 1,
      decomposition: { id: 2, name: "Three levels" },
    });
    expect(view.columns[1].heading).toBe("Read as assuming “Three levels”");
    expect(view.definitions).toEqual([]);
  });

  it("lists the senses in play for an ambiguous usage", () => {
    const view = normaliseEvidence("ambiguous_usage", {
      term: { id: 1, name: "outer alignment" },
      claim: claim(4),
      senses: [def(1), def(2)],
    });
    expect(view.columns[1].definitions.map((d) => d.id)).toEqual([1, 2]);
    expect(view.columns[0].claims[0].reading).toBe(104);
  });

  it("puts each term of a synonym candidate in its own column, with the pairs", () => {
    const view = normaliseEvidence("synonym_candidate", {
      terms: [
        { id: 2, name: "inner alignment" },
        { id: 4, name: "objective robustness" },
      ],
      pairs: [
        { definitions: [def(5, 2), def(7, 4)], marked_equivalent: true, similarity: 0 },
        { definitions: [def(6, 2), def(7, 4)], marked_equivalent: false, similarity: 0.91 },
      ],
    });
    expect(view.columns.map((c) => [c.heading, c.definitions.map((d) => d.id)])).toEqual([
      ["inner alignment", [5, 6]],
      ["objective robustness", [7]],
    ]);
    expect(view.pairs[1]).toMatchObject({ markedEquivalent: false, similarity: 0.91 });
    expect(view.definitions.map((d) => d.id)).toEqual([5, 7, 6]);
  });

  it("degrades to empty on malformed or unknown evidence", () => {
    expect(normaliseEvidence("equivocation", null).columns).toEqual([]);
    expect(normaliseEvidence("equivocation", { senses: [{ claims: [{ quote: "no id" }] }] }).columns[0].claims).toEqual([]);
    expect(normaliseEvidence("something_new", { a: 1 })).toEqual({
      columns: [],
      pairs: [],
      replyChain: [],
      replyChainTotal: 0,
      definitions: [],
    });
  });

  it("keeps the totals of a sampled evidence", () => {
    const view = normaliseEvidence("equivocation", {
      senses: [
        { definitions: [def(1)], claims: [claim(3)], claims_total: 30 },
        { definitions: [def(2)], claims: [claim(6)] },
      ],
      reply_chain: [[3, 6]],
      reply_chain_total: 900,
    });
    expect(view.columns.map((c) => c.claimsTotal)).toEqual([30, undefined]);
    expect(view.replyChainTotal).toBe(900);
    // An older evidence without totals: what it lists is all there is.
    const old = normaliseEvidence("decomposition_mismatch", {
      decompositions: [{ claims: [claim(1)] }],
      reply_chain: [[1, 2]],
    });
    expect([old.columns[0].claimsTotal, old.replyChainTotal]).toEqual([undefined, 1]);
  });
});

describe("claimHref", () => {
  it("links a claim in its thread", () => {
    expect(claimHref(1, 6)).toBe("/threads/1?claim=6");
    expect(claimHref(null, 6)).toBeNull();
  });
});
