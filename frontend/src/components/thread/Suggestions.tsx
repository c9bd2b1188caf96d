// The background jobs' suggestions at their comment: definition candidates to accept (a claim,
// a definition and a reading in one step) or reject, and suggested term mentions.
import { useEffect, useRef, useState } from "react";
import {
  type DefinitionCandidate,
  type Mention,
  useDecideCandidate,
  useDecideMention,
} from "../../api/resources";
import { ErrorNote } from "./ErrorNote";

/** A click on an underline: a new object each time, so the same mention can be opened twice. */
export type MentionRequest = { id: number };

type Props = {
  text: string;
  candidates: DefinitionCandidate[];
  mentions: Mention[];
  canWrite: boolean;
  openMention: MentionRequest | null;
  onSelectClaim: (id: number) => void;
};

export function Suggestions({
  text,
  candidates,
  mentions,
  canWrite,
  openMention,
  onSelectClaim,
}: Props) {
  const suggested = canWrite ? mentions.filter((m) => m.status === "suggested") : [];
  const [open, setOpen] = useState(false);
  const list = useRef<HTMLUListElement>(null);

  const focusFor = useRef<number | null>(null);
  useEffect(() => {
    if (openMention === null) return;
    focusFor.current = openMention.id;
    setOpen(true);
  }, [openMention]);
  // Once the list is open, move focus to the mention that was clicked.
  useEffect(() => {
    if (!open || focusFor.current === null) return;
    list.current
      ?.querySelector<HTMLElement>(`[data-mention="${focusFor.current}"] button`)
      ?.focus();
    focusFor.current = null;
  }, [open, openMention]);

  if (!candidates.length && !suggested.length) return null;
  return (
    <div className="suggestions">
      {candidates.length ? (
        <ul className="candidates">
          {candidates.map((candidate) => (
            <Candidate
              key={candidate.id}
              candidate={candidate}
              canWrite={canWrite}
              onSelectClaim={onSelectClaim}
            />
          ))}
        </ul>
      ) : null}
      {suggested.length ? (
        <details
          className="mention-list"
          open={open}
          onToggle={(e) => setOpen(e.currentTarget.open)}
        >
          <summary>
            {suggested.length} suggested term {suggested.length === 1 ? "mention" : "mentions"}
          </summary>
          <ul ref={list}>
            {suggested.map((mention) => (
              <MentionRow key={mention.id} mention={mention} text={text} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

// Failures show through decide.error.
const ignore = () => undefined;

function Candidate(props: {
  candidate: DefinitionCandidate;
  canWrite: boolean;
  onSelectClaim: (id: number) => void;
}) {
  const { candidate, canWrite, onSelectClaim } = props;
  const decide = useDecideCandidate();
  // Accepting answers with the claim it made (its type folds into the candidate's). The card is
  // gone once the candidate is decided, so the promise, not mutate's callbacks, selects the claim.
  const accept = () =>
    decide.mutateAsync({ id: candidate.id, accept: true }).then((result) => {
      if ("claim" in result && typeof result.claim === "number") onSelectClaim(result.claim);
    }, ignore);
  return (
    <li className="candidate">
      <div className="candidate-body">
        <p className="candidate-head">
          <span className="badge">Suggested definition</span>{" "}
          <strong>{candidate.term_name || candidate.term_text}</strong>
          {candidate.term_name ? null : <span className="muted"> (a new term)</span>}
        </p>
        <p className="candidate-text">{candidate.definition_text}</p>
        <ErrorNote error={decide.error} />
      </div>
      {canWrite ? (
        <div className="actions">
          <button type="button" onClick={accept} disabled={decide.isPending}>
            Accept
          </button>
          <button
            type="button"
            onClick={() => decide.mutate({ id: candidate.id, accept: false })}
            disabled={decide.isPending}
          >
            Reject
          </button>
        </div>
      ) : null}
    </li>
  );
}

function MentionRow({ mention, text }: { mention: Mention; text: string }) {
  const decide = useDecideMention();
  const chars = Array.from(text);
  const before = chars.slice(Math.max(0, mention.start - 30), mention.start).join("");
  const after = chars.slice(mention.end, mention.end + 30).join("");
  return (
    <li data-mention={mention.id}>
      <span className="mention-context">
        {mention.start > 30 ? "…" : ""}
        {before}
        <u>{mention.text}</u>
        {after}
        {mention.end + 30 < chars.length ? "…" : ""}
      </span>{" "}
      <span className="muted">as</span> <strong>{mention.term_name}</strong>
      <span className="actions">
        <button
          type="button"
          onClick={() => decide.mutate({ id: mention.id, accept: true })}
          disabled={decide.isPending}
        >
          Accept
        </button>
        <button
          type="button"
          onClick={() => decide.mutate({ id: mention.id, accept: false })}
          disabled={decide.isPending}
        >
          Reject
        </button>
      </span>
      <ErrorNote error={decide.error} />
    </li>
  );
}
