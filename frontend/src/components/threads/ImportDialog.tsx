// The import dialog: paste text or choose a file, pick a format, and follow the background
// import until its thread can be opened.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { type ImportJob, useImportJob, useImportThread } from "../../api/resources";
import { Field } from "./Field";
import { IMPORT_FORMATS, IMPORT_STEPS, importProgress } from "./importProgress";
import { Modal } from "./Modal";

type Format = (typeof IMPORT_FORMATS)[number]["value"];

export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} title="Import thread" onClose={onClose}>
      <ImportForm onClose={onClose} />
    </Modal>
  );
}

function ImportForm({ onClose }: { onClose: () => void }) {
  const importThread = useImportThread();
  const [text, setText] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>("");
  const [title, setTitle] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setJob(null);
    if (file && text.trim()) {
      setProblem("Paste the thread's text or choose a file, not both.");
      return;
    }
    if (!file && !text.trim()) {
      setProblem("Paste the thread's text or choose a file.");
      return;
    }
    const body = file ? formData(file, format, title) : jsonBody(text, format, title);
    importThread.mutate(body, {
      onSuccess: (answer) => {
        if ("status" in answer) setJob(answer);
        else setJob(syncResultAsJob(answer.thread.id));
      },
    });
  }

  const running = importThread.isPending || (job !== null && !importProgress(job).finished);

  return (
    <form className="stack import-form" onSubmit={submit}>
      <Field label="Thread text">
        <textarea
          data-autofocus
          rows={8}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Paste a forum thread, or its JSON"
        />
      </Field>
      <Field label="File" hint="A .json or .txt file, instead of pasted text.">
        <input
          type="file"
          accept=".json,.txt,application/json,text/plain"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </Field>
      <div className="form-row">
        <Field label="Format">
          <select value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {IMPORT_FORMATS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Title" hint="Optional: the source's title is used otherwise.">
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
      </div>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      {importThread.error ? (
        <p role="alert" className="error">
          {importThread.error.message}
        </p>
      ) : null}
      {job ? <JobProgress initial={job} onOpen={onClose} /> : null}
      <div className="button-row">
        <button type="submit" className="primary" disabled={running}>
          Import
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function JobProgress({ initial, onOpen }: { initial: ImportJob; onOpen: () => void }) {
  const finishedAlready = importProgress(initial).finished;
  const polled = useImportJob(finishedAlready ? undefined : initial.id);
  const job = polled.data ?? initial;
  const progress = importProgress(job);
  const client = useQueryClient();

  useEffect(() => {
    if (progress.finished) void client.invalidateQueries({ queryKey: ["threads"] });
  }, [progress.finished, client]);

  return (
    <div className="import-progress">
      <progress aria-label="Import progress" max={IMPORT_STEPS} value={progress.step} />
      <p role="status">{progress.label}</p>
      {progress.error ? (
        <p role="alert" className="error">
          {progress.error}
        </p>
      ) : null}
      {polled.error ? (
        <p role="alert" className="error">
          {polled.error.message}
        </p>
      ) : null}
      {job.status === "done" && job.thread !== null ? (
        <p>
          <Link to={`/threads/${job.thread}`} onClick={onOpen} className="button-link primary">
            Open thread
          </Link>
          <ImportCounts result={job.result} />
        </p>
      ) : null}
    </div>
  );
}

function ImportCounts({ result }: { result: unknown }) {
  if (!result || typeof result !== "object") return null;
  const counts = result as Record<string, unknown>;
  const parts = [
    ["comments_created", "new"],
    ["comments_updated", "updated"],
    ["comments_unchanged", "unchanged"],
  ]
    .filter(([key]) => typeof counts[key] === "number" && (counts[key] as number) > 0)
    .map(([key, word]) => `${counts[key] as number} ${word}`);
  return parts.length ? <span className="muted"> Comments: {parts.join(", ")}.</span> : null;
}

function formData(file: File, format: Format, title: string): FormData {
  const data = new FormData();
  data.append("file", file);
  data.append("background", "true");
  if (format) data.append("format", format);
  if (title.trim()) data.append("title", title.trim());
  return data;
}

function jsonBody(content: string, format: Format, title: string) {
  return {
    content,
    background: true,
    ...(format ? { format } : {}),
    ...(title.trim() ? { title: title.trim() } : {}),
  };
}

/** A server that imported at once (no background job) answered with the thread itself. */
function syncResultAsJob(thread: number): ImportJob {
  const now = new Date().toISOString();
  return {
    id: 0,
    status: "done",
    stage: "done",
    format: "",
    size: 0,
    comments_total: null,
    thread,
    result: null,
    error: null,
    created_at: now,
    updated_at: now,
  };
}
