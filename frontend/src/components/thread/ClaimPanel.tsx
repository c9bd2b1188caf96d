// The selected claim: its quote and people, its readings and votes, the forms to read its terms
// and decomposition, and its links. Keyed by claim, so its forms start afresh for each claim.
import { type Ref, useState } from "react";
import {
  type Claim,
  type ClaimLink,
  type Mention,
  type Reading,
  useDeleteClaim,
} from "../../api/resources";
import { AddReading } from "./AddReading";
import { ClaimLinks } from "./ClaimLinks";
import { DecompositionPicker } from "./DecompositionPicker";
import { ErrorNote } from "./ErrorNote";
import { LoginToAnnotate } from "./LoginToAnnotate";
import { ReadingList } from "./ReadingList";

type Props = {
  claim: Claim;
  claims: Claim[];
  readings: Reading[];
  links: ClaimLink[];
  mentions: Mention[];
  canWrite: boolean;
  canDelete: (owner: string | null) => boolean;
  onSelectClaim: (id: number) => void;
  onClose: () => void;
  headingRef: Ref<HTMLHeadingElement>;
};

export function ClaimPanel(props: Props) {
  const { claim, canWrite, canDelete, onSelectClaim } = props;
  const remove = useDeleteClaim();
  // A term mention picked here fills the reading form's Term field.
  const [prefill, setPrefill] = useState("");
  const inside = props.mentions.filter((m) => m.start < claim.end && m.end > claim.start);
  const terms = [...new Map(inside.map((m) => [m.term, m])).values()];

  return (
    <aside className="claim-panel panel" aria-labelledby="claim-panel-heading">
      <div className="panel-head">
        <h2 id="claim-panel-heading" ref={props.headingRef} tabIndex={-1}>
          Claim
        </h2>
        <button type="button" className="small" onClick={props.onClose}>
          Close
        </button>
      </div>
      <blockquote className="claim-quote">{claim.quote}</blockquote>
      <p className="claim-people">
        {claim.author ? (
          <>
            by <strong>{claim.author}</strong>{" "}
          </>
        ) : null}
        <span className="muted">
          {claim.author ? "· " : ""}marked by {claim.created_by}
        </span>
      </p>
      {claim.anchor === "orphaned" ? (
        <p className="warn-note">
          The quoted text is no longer in the comment since it was re-imported.
        </p>
      ) : null}
      {claim.note ? <p className="claim-note">{claim.note}</p> : null}
      {canWrite && canDelete(claim.created_by) ? (
        <div>
          {/* The panel unmounts as its claim leaves the list, before mutate's callbacks run. */}
          <button
            type="button"
            className="danger small"
            onClick={() => remove.mutateAsync(claim.id).then(props.onClose, () => undefined)}
            disabled={remove.isPending}
          >
            Delete claim
          </button>
          <ErrorNote error={remove.error} />
        </div>
      ) : null}

      <h3>Readings</h3>
      <ReadingList readings={props.readings} canWrite={canWrite} canDelete={canDelete} />

      {canWrite ? (
        <>
          <h3>Read a term</h3>
          {terms.length ? (
            <p className="hint">
              Mentioned here:{" "}
              {terms.map((m) => (
                <button
                  key={m.term}
                  type="button"
                  className="chip-button"
                  onClick={() => setPrefill(m.term_name)}
                >
                  {m.term_name}
                </button>
              ))}
            </p>
          ) : null}
          <AddReading key={`${claim.id}:${prefill}`} claimId={claim.id} initialTerm={prefill} />
          <h3>Decomposition assumed</h3>
          <DecompositionPicker claimId={claim.id} />
        </>
      ) : (
        <p>
          <LoginToAnnotate />
        </p>
      )}

      <h3>Links</h3>
      <ClaimLinks
        claim={claim}
        claims={props.claims}
        links={props.links}
        canWrite={canWrite}
        canDelete={canDelete}
        onSelectClaim={onSelectClaim}
      />
    </aside>
  );
}
