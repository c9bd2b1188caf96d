// The argument map as data: which terms the thread reads, the sense each claim gives the chosen
// term, the Cytoscape elements (comments as compound nodes holding their claims, links as typed
// edges) and the same content as rows for the text alternative. Pure, so it is unit-tested.
import type { ElementDefinition } from "cytoscape";
import type { Claim, ClaimLink, Comment, Reading } from "../../api/resources";
import { type Consensus, consensus } from "../../lib/consensus";
import { senseColor } from "../../lib/senseColor";
import { senseCanvasColor } from "./color";
import { layoutThread } from "./layout";

export type LinkKind = ClaimLink["kind"];

type LinkKindStyle = {
  kind: LinkKind;
  label: string;
  passive: string;
  color: string;
  line: "solid" | "dashed" | "dotted";
};

export const LINK_KINDS: LinkKindStyle[] = [
  { kind: "supports", label: "supports", passive: "supported by", color: "#1a7f37", line: "solid" },
  { kind: "attacks", label: "attacks", passive: "attacked by", color: "#cf222e", line: "solid" },
  { kind: "restates", label: "restates", passive: "restated by", color: "#0969da", line: "dashed" },
  { kind: "clarifies", label: "clarifies", passive: "clarified by", color: "#8250df", line: "dotted" },
];

/** "supports" from the source's side, "supported by" from the target's. */
export function linkPhrase(kind: LinkKind, direction: "to" | "from"): string {
  const style = LINK_KINDS.find((k) => k.kind === kind);
  return direction === "to" ? (style?.label ?? kind) : (style?.passive ?? `${kind} by`);
}

export const NO_SENSE_COLOR = "#f6f8fa";

export type TermOption = { id: number; name: string; senses: number; readings: number };

/** The terms the thread's claims are read with, by name. */
export function termsRead(claims: Claim[]): TermOption[] {
  const terms = new Map<number, { name: string; senses: Set<number>; readings: number }>();
  for (const claim of claims) {
    for (const r of claim.readings) {
      if (r.kind !== "sense" || r.term === null) continue;
      const entry = terms.get(r.term) ?? { name: r.term_name ?? "", senses: new Set(), readings: 0 };
      if (r.definition !== null) entry.senses.add(r.definition);
      entry.readings += 1;
      terms.set(r.term, entry);
    }
  }
  return [...terms.entries()]
    .map(([id, t]) => ({ id, name: t.name, senses: t.senses.size, readings: t.readings }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** The term to colour by when none is asked for: the one read in most senses, so an
 * equivocation shows at once. */
export function defaultTerm(terms: TermOption[]): number | undefined {
  return [...terms].sort((a, b) => b.senses - a.senses || b.readings - a.readings || a.id - b.id)[0]?.id;
}

export type ClaimSense = {
  definition: number;
  label: string;
  text: string;
  state: Consensus;
  votesUp: number;
  votesDown: number;
};

const STATE_RANK: Record<Consensus, number> = { accepted: 3, none: 2, contested: 1, rejected: 0 };

/** The sense a claim gives a term: its best sense reading (accepted over unvoted over
 * contested, a person's over a suggestion's, then the most net votes); none when every reading
 * of the term was rejected. */
export function claimSense(claim: Claim, term: number): ClaimSense | null {
  const score = (r: Reading) => [
    STATE_RANK[consensus(r.votes_up, r.votes_down)],
    r.origin === "person" ? 1 : 0,
    r.votes_up - r.votes_down,
    -r.id,
  ];
  const candidates = claim.readings
    .filter((r) => r.kind === "sense" && r.term === term && r.definition !== null)
    .sort((a, b) => {
      const [sa, sb] = [score(a), score(b)];
      for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sb[i] - sa[i];
      return 0;
    });
  const best = candidates[0];
  if (!best || best.definition === null) return null;
  const state = consensus(best.votes_up, best.votes_down);
  if (state === "rejected") return null;
  return {
    definition: best.definition,
    label: best.definition_label ?? "",
    text: best.definition_text ?? "",
    state,
    votesUp: best.votes_up,
    votesDown: best.votes_down,
  };
}

export type SenseLegendEntry = { definition: number; label: string; text: string; color: string; claims: number };

export type MapLink = { id: number; kind: LinkKind; other: number; direction: "to" | "from" };

export type MapClaimRow = {
  id: number;
  quote: string;
  orphaned: boolean;
  sense: ClaimSense | null;
  links: MapLink[];
};

export type MapCommentRow = {
  id: number;
  author: string;
  replyTo: string | null;
  claims: MapClaimRow[];
};

export type MapModel = {
  elements: ElementDefinition[];
  senses: SenseLegendEntry[];
  unread: number;
  rows: MapCommentRow[];
  /** Claim ids in reading order: the order of the keyboard walk through the canvas. */
  order: number[];
};

const LABEL_CHARS = 90;

export function truncate(text: string, max = LABEL_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

function authorName(author: string): string {
  return author || "Unknown author";
}

/** Everything the map screen draws, for one thread and one term (or none). */
export function buildMapModel({
  comments,
  claims,
  links,
  term,
}: {
  comments: Comment[];
  claims: Claim[];
  links: ClaimLink[];
  term: number | undefined;
}): MapModel {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const claimsByComment = new Map<number, number[]>();
  for (const claim of [...claims].sort((a, b) => a.start - b.start || a.id - b.id)) {
    claimsByComment.set(claim.comment, [...(claimsByComment.get(claim.comment) ?? []), claim.id]);
  }

  // The comments with claims, and the comments they reply to, so the reply path shows.
  const shown = new Set<number>();
  for (const id of claimsByComment.keys()) {
    for (let c = byId.get(id); c && !shown.has(c.id); c = c.parent !== null ? byId.get(c.parent) : undefined) {
      shown.add(c.id);
    }
  }
  const treeComments = comments.filter((c) => shown.has(c.id));
  const layout = layoutThread(treeComments, claimsByComment);

  const claimById = new Map(claims.map((c) => [c.id, c]));
  const senses = new Map<number, ClaimSense | null>(
    claims.map((c) => [c.id, term === undefined ? null : claimSense(c, term)]),
  );
  const visibleLinks = links.filter((l) => claimById.has(l.source) && claimById.has(l.target));

  const elements: ElementDefinition[] = [];
  for (const id of layout.order) {
    const comment = byId.get(id);
    if (!comment) continue;
    const claimCount = claimsByComment.get(id)?.length ?? 0;
    elements.push({
      group: "nodes",
      data: { id: `comment-${id}`, label: authorName(comment.author), kind: "comment" },
      classes: claimCount ? "comment" : "comment empty",
      ...(claimCount ? {} : { position: layout.emptyComments.get(id) }),
    });
    if (comment.parent !== null && shown.has(comment.parent)) {
      elements.push({
        group: "edges",
        data: { id: `reply-${id}`, source: `comment-${comment.parent}`, target: `comment-${id}`, kind: "reply" },
        classes: "reply",
      });
    }
  }
  const order: number[] = layout.order.flatMap((id) => claimsByComment.get(id) ?? []);
  for (const id of order) {
    const claim = claimById.get(id);
    if (!claim) continue;
    const sense = senses.get(id) ?? null;
    const classes = ["claim", sense ? "read" : "unread"];
    if (sense?.state === "contested") classes.push("contested");
    if (claim.anchor === "orphaned") classes.push("orphaned");
    elements.push({
      group: "nodes",
      data: {
        id: `claim-${id}`,
        parent: `comment-${claim.comment}`,
        claim: id,
        label: truncate(claim.quote),
        color: sense ? senseCanvasColor(sense.definition) : NO_SENSE_COLOR,
      },
      position: layout.claims.get(id),
      classes: classes.join(" "),
    });
  }
  for (const link of visibleLinks) {
    elements.push({
      group: "edges",
      data: { id: `link-${link.id}`, source: `claim-${link.source}`, target: `claim-${link.target}`, kind: link.kind, label: link.kind },
      classes: `link ${link.kind}`,
    });
  }

  const legend = new Map<number, SenseLegendEntry>();
  let unread = 0;
  for (const sense of senses.values()) {
    if (!sense) {
      unread += 1;
      continue;
    }
    const entry = legend.get(sense.definition) ?? {
      definition: sense.definition,
      label: sense.label,
      text: sense.text,
      color: senseColor(sense.definition),
      claims: 0,
    };
    entry.claims += 1;
    legend.set(sense.definition, entry);
  }

  const rows: MapCommentRow[] = layout.order
    .filter((id) => claimsByComment.has(id))
    .map((id) => {
      const comment = byId.get(id) as Comment;
      const parent = comment.parent !== null ? byId.get(comment.parent) : undefined;
      return {
        id,
        author: authorName(comment.author),
        replyTo: parent ? authorName(parent.author) : null,
        claims: (claimsByComment.get(id) ?? []).map((claimId) => {
          const claim = claimById.get(claimId) as Claim;
          return {
            id: claimId,
            quote: claim.quote,
            orphaned: claim.anchor === "orphaned",
            sense: senses.get(claimId) ?? null,
            links: visibleLinks
              .filter((l) => l.source === claimId || l.target === claimId)
              .map((l) => ({
                id: l.id,
                kind: l.kind,
                other: l.source === claimId ? l.target : l.source,
                direction: l.source === claimId ? ("to" as const) : ("from" as const),
              })),
          };
        }),
      };
    });

  return {
    elements,
    senses: [...legend.values()].sort((a, b) => a.definition - b.definition),
    unread,
    rows,
    order,
  };
}
