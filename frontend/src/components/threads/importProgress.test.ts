import { describe, expect, it } from "vitest";
import { importProgress, jobErrorMessage } from "./importProgress";

const job = { status: "queued", stage: "waiting", comments_total: null, error: {} } as const;

describe("importProgress", () => {
  it("starts waiting for a worker", () => {
    expect(importProgress(job)).toEqual({
      step: 0,
      label: "Waiting for a worker…",
      finished: false,
      error: null,
    });
  });

  it("counts the comments being saved", () => {
    const saving = { ...job, status: "running", stage: "saving", comments_total: 12 } as const;
    expect(importProgress(saving).label).toBe("Saving 12 comments…");
    expect(importProgress({ ...saving, comments_total: 1 }).label).toBe("Saving 1 comment…");
    expect(importProgress(saving).step).toBe(2);
  });

  it("is finished when done", () => {
    const done = importProgress({ ...job, status: "done", stage: "done" });
    expect(done.finished).toBe(true);
    expect(done.error).toBeNull();
  });

  it("shows the error the job recorded when it failed", () => {
    const failed = importProgress({
      ...job,
      status: "failed",
      stage: "parsing",
      error: { code: "invalid_import", message: "The file is not valid JSON.", detail: null },
    });
    expect(failed.finished).toBe(true);
    expect(failed.error).toBe("The file is not valid JSON.");
  });

  it("falls back to a generic message for an error without one", () => {
    expect(jobErrorMessage({})).toBeNull();
    expect(jobErrorMessage("boom")).toBeNull();
    expect(importProgress({ ...job, status: "failed", error: null }).error).toBe(
      "The import failed.",
    );
  });
});
