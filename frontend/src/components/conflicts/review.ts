// The review workflow as the API enforces it (apps/conflicts/services.py TRANSITIONS): which
// actions a conflict in a given status accepts, and the resolution a resolve may carry.
import type { Conflict, ReviewRequest } from "../../api/resources";

export type ReviewAction = ReviewRequest["action"];
export type ConflictStatus = Conflict["status"];

const FROM: Record<ReviewAction, ConflictStatus[]> = {
  confirm: ["open"],
  dismiss: ["open", "confirmed"],
  resolve: ["open", "confirmed"],
  reopen: ["confirmed", "dismissed", "resolved"],
};

export const ACTION_LABELS: Record<ReviewAction, string> = {
  confirm: "Confirm",
  dismiss: "Dismiss",
  resolve: "Resolve",
  reopen: "Reopen",
};

const ORDER: ReviewAction[] = ["confirm", "dismiss", "resolve", "reopen"];

/** The actions a reviewer may take on a conflict in this status, in button order. */
export function validActions(status: ConflictStatus): ReviewAction[] {
  return ORDER.filter((action) => FROM[action].includes(status));
}

export type SplitPart = { name: string; definitions: number[] };

export type ResolutionChoice =
  | { type: "none" }
  | { type: "merge_definitions"; definitions: number[] }
  | { type: "split_term"; parts: SplitPart[] };

type Resolution = NonNullable<ReviewRequest["resolution"]>;

/** The resolution to send, or a message saying what is missing. */
export function buildResolution(
  choice: ResolutionChoice,
): { ok: true; resolution: Resolution | undefined } | { ok: false; message: string } {
  if (choice.type === "none") return { ok: true, resolution: undefined };
  if (choice.type === "merge_definitions") {
    if (choice.definitions.length !== 2) {
      return { ok: false, message: "Pick exactly two definitions to merge." };
    }
    return { ok: true, resolution: { type: "merge_definitions", definitions: choice.definitions } };
  }
  const parts = choice.parts.map((part) => ({ name: part.name.trim(), definitions: part.definitions }));
  if (parts.length === 0) return { ok: false, message: "Add at least one part to split off." };
  if (parts.some((part) => !part.name)) return { ok: false, message: "Give every part a name." };
  if (parts.some((part) => part.definitions.length === 0)) {
    return { ok: false, message: "Give every part at least one definition." };
  }
  const moved = parts.flatMap((part) => part.definitions);
  if (new Set(moved).size !== moved.length) {
    return { ok: false, message: "A definition can go to one part only." };
  }
  return { ok: true, resolution: { type: "split_term", parts } };
}
