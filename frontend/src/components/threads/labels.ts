// Display names for thread sources.
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
