// The control beside a selection in a comment: marks the selected span as a claim.
import { type Claim, useCreateClaim } from "../../api/resources";
import { ErrorNote } from "./ErrorNote";
import { LoginToAnnotate } from "./LoginToAnnotate";
import type { PendingClaim } from "./useCommentSelection";

type Props = { pending: PendingClaim; canWrite: boolean; onCreated: (claim: Claim) => void };

// Failures show through create.error. The refetch after a write re-renders the comment and can
// unmount this control before mutate's own callbacks would run, so the promise carries on.
const ignore = () => undefined;

export function MarkClaim({ pending, canWrite, onCreated }: Props) {
  const create = useCreateClaim();
  const { comment, start, end } = pending;
  return (
    <div className="mark-claim" data-mark-claim style={{ top: pending.top, left: pending.left }}>
      {canWrite ? (
        <button
          type="button"
          className="primary"
          // Keep the selection: the span is read from it until the claim is made.
          onMouseDown={(event) => event.preventDefault()}
          disabled={create.isPending}
          onClick={() => create.mutateAsync({ comment, start, end }).then(onCreated, ignore)}
        >
          Mark claim
        </button>
      ) : (
        <LoginToAnnotate />
      )}
      <ErrorNote error={create.error} />
    </div>
  );
}
