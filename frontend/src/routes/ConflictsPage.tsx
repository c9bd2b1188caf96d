// The review queue: conflicts most severe first (the API's order), filtered by the URL.
import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { type Conflict, useConflicts } from "../api/resources";
import { useMe } from "../auth";
import { ConflictCard } from "../components/conflicts/ConflictCard";
import { ConflictFilters } from "../components/conflicts/ConflictFilters";
import { type QueueFilters, filtersToParams, parseFilters, statusLabel, toApiFilter } from "../components/conflicts/filters";
import { plural } from "../lib/text";

export function ConflictsPage() {
  const [params, setParams] = useSearchParams();
  const filters = parseFilters(params);
  const conflicts = useConflicts(toApiFilter(filters));
  const me = useMe();
  const [announcement, setAnnouncement] = useState("");
  const results = conflicts.data?.results ?? [];

  // Names for a term or thread in the URL that the filter lists may not hold.
  const termMatch = results.find((c) => filters.term !== undefined && c.term === filters.term);
  const threadMatch = results.find((c) => filters.thread !== undefined && c.thread === filters.thread);
  const known = {
    term: termMatch?.term ? { id: termMatch.term, name: termMatch.term_name ?? "" } : undefined,
    thread: threadMatch?.thread
      ? { id: threadMatch.thread, name: threadMatch.thread_title ?? "" }
      : undefined,
  };

  function setFilters(next: QueueFilters) {
    setAnnouncement("");
    setParams(filtersToParams(next));
  }

  function reviewed(conflict: Conflict) {
    const shown = filters.statuses.length === 0 || filters.statuses.includes(conflict.status);
    setAnnouncement(
      `Now ${statusLabel(conflict.status).toLowerCase()}: ${conflict.summary}.` +
        (shown ? "" : " It no longer matches the status filter."),
    );
  }

  return (
    <section className="screen">
      <div className="page-header">
        <h1>Conflicts</h1>
        {conflicts.data ? <span className="muted">{plural(conflicts.data.count, "conflict")}</span> : null}
      </div>
      <ConflictFilters filters={filters} onChange={setFilters} known={known} />
      <p role="status" className="announcement">
        {announcement}
      </p>
      {conflicts.error ? (
        <p role="alert" className="error">
          {conflicts.error.message}
        </p>
      ) : null}
      {conflicts.isPending ? <p className="muted">Loading conflicts…</p> : null}
      {conflicts.data && results.length === 0 ? (
        <p className="empty">No conflicts match these filters.</p>
      ) : null}
      <div className="conflict-list">
        {results.map((conflict) => (
          <ConflictCard
            key={conflict.id}
            conflict={conflict}
            canReview={me.data?.is_reviewer === true}
            onReviewed={reviewed}
          />
        ))}
      </div>
      {conflicts.data && conflicts.data.count > results.length ? (
        <p className="muted">
          Showing the {results.length} most severe of {conflicts.data.count}; narrow the filters to see the rest.
        </p>
      ) : null}
    </section>
  );
}
