// The consensus rule of the README, for showing a reading's state next to its tally: accepted
// when at least two thirds agree, rejected when at least two thirds disagree, contested for any
// other split of two or more votes, none without votes.

export type Consensus = "accepted" | "rejected" | "contested" | "none";

export function consensus(up: number, down: number): Consensus {
  const total = up + down;
  if (total === 0) return "none";
  if (3 * up >= 2 * total) return "accepted";
  if (3 * down >= 2 * total) return "rejected";
  return "contested";
}

export function tally(up: number, down: number): string {
  return `${up} agree · ${down} disagree`;
}
