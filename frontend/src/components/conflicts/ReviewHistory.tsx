// Who moved a conflict from which status to which, when, and why.
import type { ConflictReview } from "../../api/resources";
import { formatDate } from "../../lib/text";
import { statusLabel } from "./filters";

export function ReviewHistory({ history }: { history: ConflictReview[] }) {
  if (history.length === 0) return null;
  return (
    <section className="history">
      <h3>History</h3>
      <ol>
        {history.map((entry, index) => (
          <li key={index}>
            <strong>{entry.actor || "detector"}</strong> {entry.action}{" "}
            <span className="transition">
              {statusLabel(entry.from_status)} → {statusLabel(entry.to_status)}
            </span>{" "}
            <time dateTime={entry.created_at} className="muted">
              {formatDate(entry.created_at)}
            </time>
            {entry.note ? <p className="history-note">{entry.note}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
