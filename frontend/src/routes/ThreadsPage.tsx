// The threads screen: search, the list (polled, so background jobs' progress shows), import.
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useThreads } from "../api/resources";
import { useMe } from "../auth";
import { ImportDialog } from "../components/threads/ImportDialog";
import { ThreadList } from "../components/threads/ThreadList";

const SEARCH_DELAY_MS = 250;

export function ThreadsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [search, setSearch] = useState(q);
  const [importing, setImporting] = useState(false);
  const threads = useThreads(q);
  const me = useMe();

  // The URL changed under us (a link, the back button): show its search.
  useEffect(() => setSearch(q), [q]);

  // Typing updates the URL (and so the query) once the reader pauses.
  useEffect(() => {
    if (search === q) return;
    const timer = window.setTimeout(() => {
      setParams(search ? { q: search } : {}, { replace: true });
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, q, setParams]);

  return (
    <section className="screen">
      <div className="page-header">
        <h1>Threads</h1>
        {me.data?.authenticated ? (
          <button type="button" className="primary" onClick={() => setImporting(true)}>
            Import thread
          </button>
        ) : me.data ? (
          <Link to="/login?next=/" className="button-link">
            Log in to import
          </Link>
        ) : null}
      </div>
      <input
        type="search"
        className="search"
        aria-label="Search threads"
        placeholder="Search threads"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {threads.error ? (
        <p role="alert" className="error">
          {threads.error.message}
        </p>
      ) : null}
      {threads.isPending ? <p className="muted">Loading threads…</p> : null}
      {threads.data ? (
        threads.data.results.length ? (
          <>
            <ThreadList threads={threads.data.results} />
            {threads.data.count > threads.data.results.length ? (
              <p className="muted">
                Showing {threads.data.results.length} of {threads.data.count} threads; search to
                narrow them down.
              </p>
            ) : null}
          </>
        ) : (
          <p className="empty">{q ? `No threads match “${q}”.` : "No threads yet."}</p>
        )
      ) : null}
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
    </section>
  );
}
