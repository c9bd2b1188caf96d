// Where the map puts each comment and claim: the reply tree laid out left to right, one column
// per reply depth, each subtree in its own horizontal band, a comment's claims stacked in its
// box. Deterministic, so a poll that changes nothing moves nothing.

export const CLAIM_WIDTH = 200;
export const CLAIM_HEIGHT = 64;
const CLAIM_GAP = 14;
const PADDING = 12;
const LABEL = 22;
const COLUMN_GAP = 80;
const BAND_GAP = 36;
export const COLUMN_WIDTH = CLAIM_WIDTH + 2 * PADDING + COLUMN_GAP;

export type TreeComment = { id: number; parent: number | null; position: number };
export type Point = { x: number; y: number };

export type Layout = {
  /** Centre of each claim node. */
  claims: Map<number, Point>;
  /** Centre of each comment node that has no claims (a compound node with claims places itself). */
  emptyComments: Map<number, Point>;
  /** Comments in reading order: depth first, replies after what they reply to. */
  order: number[];
  depth: Map<number, number>;
};

function boxHeight(claims: number): number {
  const rows = Math.max(claims, 1);
  const inner = claims === 0 ? 28 : rows * CLAIM_HEIGHT + (rows - 1) * CLAIM_GAP;
  return LABEL + 2 * PADDING + inner;
}

/** Lay out the given comments (a reply forest) and their claims, in the given claim order. */
export function layoutThread(comments: TreeComment[], claimsByComment: Map<number, number[]>): Layout {
  const ids = new Set(comments.map((c) => c.id));
  const children = new Map<number | null, TreeComment[]>();
  for (const comment of comments) {
    // A reply whose parent is not on the map starts a tree of its own.
    const parent = comment.parent !== null && ids.has(comment.parent) ? comment.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), comment]);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || a.id - b.id);

  const band = new Map<number, number>();
  const bandOf = (id: number, seen: Set<number>): number => {
    if (seen.has(id)) return 0; // a cycle in bad data: stop rather than recurse forever
    seen.add(id);
    const kids = children.get(id) ?? [];
    const kidsHeight = kids.reduce((sum, kid, i) => sum + bandOf(kid.id, seen) + (i ? BAND_GAP : 0), 0);
    const height = Math.max(boxHeight(claimsByComment.get(id)?.length ?? 0), kidsHeight);
    band.set(id, height);
    return height;
  };

  const layout: Layout = { claims: new Map(), emptyComments: new Map(), order: [], depth: new Map() };
  const place = (comment: TreeComment, depth: number, top: number, seen: Set<number>) => {
    if (seen.has(comment.id)) return;
    seen.add(comment.id);
    layout.order.push(comment.id);
    layout.depth.set(comment.id, depth);
    const x = depth * COLUMN_WIDTH;
    const claims = claimsByComment.get(comment.id) ?? [];
    claims.forEach((claim, i) => {
      layout.claims.set(claim, {
        x,
        y: top + LABEL + PADDING + i * (CLAIM_HEIGHT + CLAIM_GAP) + CLAIM_HEIGHT / 2,
      });
    });
    if (claims.length === 0) layout.emptyComments.set(comment.id, { x, y: top + LABEL + PADDING + 14 });
    let childTop = top;
    for (const kid of children.get(comment.id) ?? []) {
      place(kid, depth + 1, childTop, seen);
      childTop += (band.get(kid.id) ?? 0) + BAND_GAP;
    }
  };

  let top = 0;
  const seenBand = new Set<number>();
  const seenPlace = new Set<number>();
  for (const root of children.get(null) ?? []) {
    bandOf(root.id, seenBand);
    place(root, 0, top, seenPlace);
    top += (band.get(root.id) ?? 0) + BAND_GAP;
  }
  return layout;
}
