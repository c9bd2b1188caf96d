// What the import dialog says about a background import job: a stage, a step count for the
// progress bar, and the error the job recorded when it failed.
import type { ImportJob } from "../../api/resources";
import type { components } from "../../api/schema";

export const IMPORT_STEPS = 3;

export type ImportProgress = {
  /** Steps finished, out of IMPORT_STEPS. */
  step: number;
  label: string;
  finished: boolean;
  error: string | null;
};

type JobFields = Pick<ImportJob, "status" | "stage" | "comments_total" | "error">;

/** The message of a job's recorded error ({code, message, detail}), if it has one. */
export function jobErrorMessage(error: unknown): string | null {
  if (error && typeof error === "object" && "message" in error) {
    const message = (error as { message: unknown }).message;
    if (typeof message === "string" && message) return message;
  }
  return null;
}

export function importProgress(job: JobFields): ImportProgress {
  if (job.status === "failed") {
    return {
      step: IMPORT_STEPS,
      label: "Import failed",
      finished: true,
      error: jobErrorMessage(job.error) ?? "The import failed.",
    };
  }
  if (job.status === "done" || job.stage === "done") {
    return { step: IMPORT_STEPS, label: "Done", finished: true, error: null };
  }
  switch (job.stage) {
    case "parsing":
      return { step: 1, label: "Reading the file…", finished: false, error: null };
    case "saving": {
      const total = job.comments_total;
      const what = total === null ? "comments" : `${total} ${total === 1 ? "comment" : "comments"}`;
      return { step: 2, label: `Saving ${what}…`, finished: false, error: null };
    }
    default:
      return { step: 0, label: "Waiting for a worker…", finished: false, error: null };
  }
}

type ImportFormat = NonNullable<components["schemas"]["ImportRequestRequest"]["format"]>;

export const IMPORT_FORMATS: { value: "" | ImportFormat; label: string }[] = [
  { value: "", label: "Detect automatically" },
  { value: "text", label: "Pasted text" },
  { value: "forummagnum", label: "ForumMagnum (LessWrong, Alignment Forum, EA Forum)" },
  { value: "discourse", label: "Discourse" },
  { value: "reddit", label: "Reddit (thread .json)" },
  { value: "hackernews", label: "Hacker News (Algolia item)" },
];
