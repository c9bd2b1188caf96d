// Splits a comment's text at every boundary of its claims and term mentions, so overlapping
// highlights render as a flat run of pieces, each knowing which claims and mentions cover it.

/** A claim or mention over code points start..end of the text. */
export type Layer = { id: number; start: number; end: number };

export type Segment = {
  start: number;
  end: number;
  text: string;
  claims: number[];
  mentions: number[];
};

type Event = { at: number; kind: "claims" | "mentions"; id: number; opens: boolean };

export function segmentText(text: string, claims: Layer[], mentions: Layer[]): Segment[] {
  const chars = Array.from(text);
  const length = chars.length;
  const events: Event[] = [];
  const boundaries = new Set<number>([0, length]);
  const add = (kind: Event["kind"], layer: Layer) => {
    const start = Math.max(0, Math.min(length, layer.start));
    const end = Math.max(0, Math.min(length, layer.end));
    if (end <= start) return;
    events.push({ at: start, kind, id: layer.id, opens: true });
    events.push({ at: end, kind, id: layer.id, opens: false });
    boundaries.add(start);
    boundaries.add(end);
  };
  claims.forEach((layer) => add("claims", layer));
  mentions.forEach((layer) => add("mentions", layer));
  events.sort((a, b) => a.at - b.at);

  const open = { claims: new Set<number>(), mentions: new Set<number>() };
  const points = [...boundaries].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let next = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    for (; next < events.length && events[next].at <= start; next++) {
      const event = events[next];
      if (event.opens) open[event.kind].add(event.id);
      else open[event.kind].delete(event.id);
    }
    segments.push({
      start,
      end,
      text: chars.slice(start, end).join(""),
      claims: [...open.claims],
      mentions: [...open.mentions],
    });
  }
  return segments;
}
