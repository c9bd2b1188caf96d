// The list of threads: title, source, counts, and whether background jobs are still running.
import { Link } from "react-router-dom";
import type { Thread } from "../../api/resources";
import { formatDate, plural } from "../../lib/text";
import { SOURCE_LABELS } from "./labels";

export function ThreadList({ threads }: { threads: Thread[] }) {
  return (
    <ul className="thread-list">
      {threads.map((thread) => (
        <ThreadRow key={thread.id} thread={thread} />
      ))}
    </ul>
  );
}

function ThreadRow({ thread }: { thread: Thread }) {
  const imported = formatDate(thread.imported_at ?? thread.created_at);
  return (
    <li className="thread-row">
      <div className="thread-main">
        <Link to={`/threads/${thread.id}`} className="thread-title" id={`thread-${thread.id}-title`}>
          {thread.title || `Thread ${thread.id}`}
        </Link>
        <div className="thread-row-meta muted">
          <span>{SOURCE_LABELS[thread.source] ?? thread.source}</span>
          <span>{plural(thread.comment_count, "comment")}</span>
          {imported ? <span>imported {imported}</span> : null}
          {thread.jobs_pending ? (
            <span className="badge badge-running" title="Suggestion or conflict detection jobs are still running">
              <span className="spinner" aria-hidden="true" />
              jobs running
            </span>
          ) : null}
        </div>
      </div>
      <div className="thread-counts">
        <span className="count">{plural(thread.claim_count, "claim")}</span>
        <Link
          to={`/conflicts?thread=${thread.id}`}
          className={thread.open_conflict_count > 0 ? "count count-alert" : "count"}
        >
          {plural(thread.open_conflict_count, "open conflict")}
        </Link>
        {/* Described by the title, not named after it: the title names one link only. */}
        <Link to={`/threads/${thread.id}/map`} className="count" aria-describedby={`thread-${thread.id}-title`}>
          Map
        </Link>
      </div>
    </li>
  );
}
