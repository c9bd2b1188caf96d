// A reviewer's controls for one conflict: a note, the actions its status allows, and for
// resolve an optional fix. The API has the last word: its messages are shown as they come.
import { useState } from "react";
import { type Conflict, useReviewConflict } from "../../api/resources";
import { Field } from "../threads/Field";
import type { EvidenceDefinition } from "./evidence";
import { ResolutionPicker } from "./ResolutionPicker";
import { ACTION_LABELS, type ResolutionChoice, type ReviewAction, buildResolution, validActions } from "./review";

type Props = {
  conflict: Conflict;
  definitions: EvidenceDefinition[];
  onReviewed: (conflict: Conflict) => void;
};

export function ReviewPanel({ conflict, definitions, onReviewed }: Props) {
  const review = useReviewConflict();
  const [note, setNote] = useState("");
  const [choice, setChoice] = useState<ResolutionChoice>({ type: "none" });
  const [problem, setProblem] = useState<string | null>(null);
  const actions = validActions(conflict.status);
  const term =
    conflict.term !== null ? { id: conflict.term, name: conflict.term_name ?? "" } : null;

  if (actions.length === 0) {
    return <p className="muted review-none">An obsolete conflict cannot be reviewed: its evidence is gone.</p>;
  }

  function act(action: ReviewAction) {
    setProblem(null);
    review.reset();
    let resolution;
    if (action === "resolve") {
      const built = buildResolution(choice);
      if (!built.ok) {
        setProblem(built.message);
        return;
      }
      resolution = built.resolution;
    }
    // mutateAsync, not mutate's callbacks: a reviewed conflict may leave the filtered list (or
    // this panel remount for its new status) before the refetch settles, and the page must still
    // hear about it.
    review
      .mutateAsync({ id: conflict.id, body: { action, note, ...(resolution ? { resolution } : {}) } })
      .then(
        (updated) => {
          setNote("");
          setChoice({ type: "none" });
          onReviewed(updated);
        },
        () => undefined, // shown from review.error
      );
  }

  return (
    <div className="review-panel" role="group" aria-label="Review">
      <Field label="Note" hint="Kept in the review history; required to dismiss.">
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      {actions.includes("resolve") ? (
        <ResolutionPicker
          choice={choice}
          onChange={(next) => {
            setChoice(next);
            setProblem(null);
          }}
          evidence={definitions}
          term={term}
        />
      ) : null}
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      {review.error ? (
        <p role="alert" className="error">
          {review.error.message}
        </p>
      ) : null}
      <div className="button-row">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            onClick={() => act(action)}
            disabled={review.isPending}
          >
            {ACTION_LABELS[action]}
          </button>
        ))}
      </div>
    </div>
  );
}
