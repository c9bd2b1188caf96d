// The review queue's filters; every change goes to the URL, which the page reads back.
import { Link } from "react-router-dom";
import { useTerms, useThreads } from "../../api/resources";
import { Field } from "../threads/Field";
import { type ConflictStatus, KINDS, type QueueFilters, STATUSES } from "./filters";

type Named = { id: number; name: string };

type Props = {
  filters: QueueFilters;
  onChange: (next: QueueFilters) => void;
  /** Names for a term or thread in the URL that the option lists may not hold. */
  known: { term?: Named; thread?: Named };
};

function withCurrent(options: Named[], current: number | undefined, known: Named | undefined): Named[] {
  if (current === undefined || options.some((o) => o.id === current)) return options;
  return [...options, known ?? { id: current, name: `#${current}` }];
}

export function ConflictFilters({ filters, onChange, known }: Props) {
  const terms = useTerms("");
  const threads = useThreads("");
  const termOptions = withCurrent(
    (terms.data?.results ?? []).map((t) => ({ id: t.id, name: t.name })),
    filters.term,
    known.term,
  );
  const threadOptions = withCurrent(
    (threads.data?.results ?? []).map((t) => ({ id: t.id, name: t.title || `Thread ${t.id}` })),
    filters.thread,
    known.thread,
  );

  function toggleStatus(status: ConflictStatus, on: boolean) {
    const statuses = on
      ? STATUSES.map((s) => s.value).filter((s) => s === status || filters.statuses.includes(s))
      : filters.statuses.filter((s) => s !== status);
    onChange({ ...filters, statuses });
  }

  return (
    <form className="filters" aria-label="Filter conflicts" onSubmit={(e) => e.preventDefault()}>
      <Field label="Kind">
        <select
          value={filters.kinds.length === 1 ? filters.kinds[0] : ""}
          onChange={(e) =>
            onChange({ ...filters, kinds: e.target.value ? [e.target.value as QueueFilters["kinds"][number]] : [] })
          }
        >
          <option value="">{filters.kinds.length > 1 ? "Several kinds" : "All kinds"}</option>
          {KINDS.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Term">
        <select
          value={filters.term ?? ""}
          onChange={(e) => onChange({ ...filters, term: e.target.value ? Number(e.target.value) : undefined })}
        >
          <option value="">All terms</option>
          {termOptions.map((term) => (
            <option key={term.id} value={term.id}>
              {term.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Thread">
        <select
          value={filters.thread ?? ""}
          onChange={(e) => onChange({ ...filters, thread: e.target.value ? Number(e.target.value) : undefined })}
        >
          <option value="">All threads</option>
          {threadOptions.map((thread) => (
            <option key={thread.id} value={thread.id}>
              {thread.name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset className="status-filter">
        <legend>Status</legend>
        {STATUSES.map((status) => (
          <label key={status.value} className="check">
            <input
              type="checkbox"
              checked={filters.statuses.includes(status.value)}
              onChange={(e) => toggleStatus(status.value, e.target.checked)}
            />
            {status.label}
          </label>
        ))}
      </fieldset>
      <Link to="/conflicts" className="reset-filters">
        Reset filters
      </Link>
    </form>
  );
}
