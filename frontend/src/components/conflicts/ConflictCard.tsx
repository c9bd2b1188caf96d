// One conflict in the review queue: what it is, its evidence side by side, its history, and
// for reviewers the review controls.
import { Link } from "react-router-dom";
import type { Conflict } from "../../api/resources";
import { EvidencePanel } from "./EvidencePanel";
import { normaliseEvidence } from "./evidence";
import { kindLabel, statusLabel } from "./filters";
import { ReviewHistory } from "./ReviewHistory";
import { ReviewPanel } from "./ReviewPanel";

type Props = {
  conflict: Conflict;
  canReview: boolean;
  onReviewed: (conflict: Conflict) => void;
};

export function ConflictCard({ conflict, canReview, onReviewed }: Props) {
  const view = normaliseEvidence(conflict.kind, conflict.evidence);
  const headingId = `conflict-${conflict.id}-summary`;
  return (
    <article className="conflict" aria-labelledby={headingId}>
      <header className="conflict-header">
        <h2 id={headingId}>{conflict.summary}</h2>
        <dl className="conflict-meta">
          <div>
            <dt>Kind</dt>
            <dd className={`badge kind-${conflict.kind}`}>{kindLabel(conflict.kind)}</dd>
          </div>
          <div>
            <dt>Severity</dt>
            <dd className={`badge severity severity-${conflict.severity}`}>{conflict.severity}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd className={`badge status-${conflict.status}`}>{statusLabel(conflict.status)}</dd>
          </div>
          {conflict.thread !== null ? (
            <div>
              <dt>Thread</dt>
              <dd>
                <Link to={`/threads/${conflict.thread}`}>{conflict.thread_title || `Thread ${conflict.thread}`}</Link>
              </dd>
            </div>
          ) : null}
          {conflict.term !== null ? (
            <div>
              <dt>Term</dt>
              <dd>
                <Link to={`/terms/${conflict.term}`}>{conflict.term_name || `Term ${conflict.term}`}</Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </header>
      <EvidencePanel view={view} thread={conflict.thread} />
      {canReview ? (
        <ReviewPanel
          key={`${conflict.id}-${conflict.status}`}
          conflict={conflict}
          definitions={view.definitions}
          onReviewed={onReviewed}
        />
      ) : null}
      <ReviewHistory history={conflict.history} />
    </article>
  );
}
