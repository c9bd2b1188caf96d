// The review queue's filters, kept in the URL (?kind=&status=&term=&thread=) so other screens
// can link to a filtered queue. Lists may repeat a key or separate values with commas.
import type { ConflictFilter } from "../../api/resources";
import type { Conflict } from "../../api/resources";

export type ConflictKind = Conflict["kind"];
export type ConflictStatus = Conflict["status"];

export const KINDS: { value: ConflictKind; label: string }[] = [
  { value: "equivocation", label: "Equivocation" },
  { value: "decomposition_mismatch", label: "Decomposition mismatch" },
  { value: "contested_reading", label: "Contested reading" },
  { value: "ambiguous_usage", label: "Ambiguous usage" },
  { value: "synonym_candidate", label: "Synonym candidate" },
];

export const STATUSES: { value: ConflictStatus; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "confirmed", label: "Confirmed" },
  { value: "dismissed", label: "Dismissed" },
  { value: "resolved", label: "Resolved" },
  { value: "obsolete", label: "Obsolete" },
];

export const DEFAULT_STATUSES: ConflictStatus[] = ["open", "confirmed"];

export type QueueFilters = {
  kinds: ConflictKind[];
  /** Empty means every status. */
  statuses: ConflictStatus[];
  term?: number;
  thread?: number;
};

function listParam<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[]): T[] {
  const values = params
    .getAll(key)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value): value is T => (allowed as readonly string[]).includes(value));
  return Array.from(new Set(values));
}

function idParam(params: URLSearchParams, key: string): number | undefined {
  const value = Number(params.get(key));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Filters from the URL; without a status parameter, the open and confirmed conflicts. */
export function parseFilters(params: URLSearchParams): QueueFilters {
  const statusGiven = params.has("status");
  const statuses = listParam(params, "status", STATUSES.map((s) => s.value));
  return {
    kinds: listParam(params, "kind", KINDS.map((k) => k.value)),
    // "?status=" (empty) or "?status=all" asks for every status.
    statuses: statusGiven ? statuses : DEFAULT_STATUSES,
    term: idParam(params, "term"),
    thread: idParam(params, "thread"),
  };
}

/** The URL query for some filters; the default statuses are left out. */
export function filtersToParams(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.kinds.length) params.set("kind", filters.kinds.join(","));
  const isDefault =
    filters.statuses.length === DEFAULT_STATUSES.length &&
    DEFAULT_STATUSES.every((s) => filters.statuses.includes(s));
  if (!isDefault) params.set("status", filters.statuses.length ? filters.statuses.join(",") : "all");
  if (filters.term !== undefined) params.set("term", String(filters.term));
  if (filters.thread !== undefined) params.set("thread", String(filters.thread));
  return params;
}

/** The API query for some filters. */
export function toApiFilter(filters: QueueFilters): ConflictFilter {
  return {
    ...(filters.kinds.length ? { kind: filters.kinds } : {}),
    ...(filters.statuses.length ? { status: filters.statuses } : {}),
    ...(filters.term !== undefined ? { term: filters.term } : {}),
    ...(filters.thread !== undefined ? { thread: filters.thread } : {}),
  };
}

export function kindLabel(kind: string): string {
  return KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export function statusLabel(status: string): string {
  return STATUSES.find((s) => s.value === status)?.label ?? status;
}
