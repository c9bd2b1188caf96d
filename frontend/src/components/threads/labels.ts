// Display names for thread sources, and small formatting helpers shared by the list screens.
import type { Thread } from "../../api/resources";

export const SOURCE_LABELS: Record<Thread["source"], string> = {
  lesswrong: "LessWrong",
  alignment_forum: "Alignment Forum",
  ea_forum: "EA Forum",
  discourse: "Discourse",
  reddit: "Reddit",
  hackernews: "Hacker News",
  text: "Pasted text",
};

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A date as the reader's locale writes it, or "" for none. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
