// The thread view: comments as a reply tree with their claims and suggestions, the panel of the
// selected claim (carried in the URL as ?claim=ID, so other screens can link to it) and the
// thread's glossary.
import { useCallback, useEffect, useMemo, useRef } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import {
  type Claim,
  type DefinitionCandidate,
  type Mention,
  useThread,
  useThreadCandidates,
  useThreadClaims,
  useThreadLinks,
  useThreadMentions,
  useThreadReadings,
} from "../api/resources";
import { useMe } from "../auth";
import { ClaimPanel } from "../components/thread/ClaimPanel";
import { CommentTree } from "../components/thread/CommentTree";
import { ErrorNote } from "../components/thread/ErrorNote";
import { Glossary } from "../components/thread/Glossary";
import { LoginToAnnotate } from "../components/thread/LoginToAnnotate";
import { useCommentSelection } from "../components/thread/useCommentSelection";
import { plural, safeHref } from "../lib/text";

export function ThreadPage() {
  const { threadId } = useParams();
  const id = Number(threadId);
  if (!Number.isSafeInteger(id) || id <= 0) {
    return <p className="error">There is no thread “{threadId}”.</p>;
  }
  return <ThreadView key={id} threadId={id} />;
}

function groupBy<T extends { comment: number }>(items: T[] | undefined): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items ?? [])
    groups.set(item.comment, [...(groups.get(item.comment) ?? []), item]);
  return groups;
}

function ThreadView({ threadId }: { threadId: number }) {
  const thread = useThread(threadId);
  const claims = useThreadClaims(threadId);
  const readings = useThreadReadings(threadId);
  const links = useThreadLinks(threadId);
  const mentions = useThreadMentions(threadId);
  const candidates = useThreadCandidates(threadId);
  const me = useMe().data;
  const canWrite = me?.authenticated === true;
  const canDelete = useCallback(
    // An owner of null is a deleted user: only admins may remove what they made.
    (owner: string | null) =>
      canWrite && (me?.is_admin === true || (owner !== null && owner === me?.username)),
    [canWrite, me],
  );

  const [params, setParams] = useSearchParams();
  const selectedClaimId = Number(params.get("claim")) || null;
  const heading = useRef<HTMLHeadingElement>(null);
  const selectClaim = useCallback(
    (id: number | null) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (id === null) next.delete("claim");
        else next.set("claim", String(id));
        return next;
      }),
    [setParams],
  );

  const comments = thread.data?.comments;
  const texts = useMemo(() => new Map((comments ?? []).map((c) => [c.id, c.text])), [comments]);
  const textOf = useCallback((comment: number) => texts.get(comment), [texts]);
  const { pending, caret, clear } = useCommentSelection(textOf);

  const claimsByComment = useMemo(() => groupBy<Claim>(claims.data), [claims.data]);
  const mentionsByComment = useMemo(
    () => groupBy<Mention>(mentions.data?.filter((m) => m.status !== "rejected")),
    [mentions.data],
  );
  const candidatesByComment = useMemo(
    () => groupBy<DefinitionCandidate>(candidates.data),
    [candidates.data],
  );
  const selected = claims.data?.find((c) => c.id === selectedClaimId);

  // Keyboard users go on from the new claim's panel, once it shows.
  const focusPanelFor = useRef<number | null>(null);
  const onClaimCreated = useCallback(
    (claim: Claim) => {
      document.getSelection()?.removeAllRanges();
      clear();
      focusPanelFor.current = claim.id;
      selectClaim(claim.id);
    },
    [clear, selectClaim],
  );
  useEffect(() => {
    if (selected === undefined || focusPanelFor.current !== selected.id) return;
    focusPanelFor.current = null;
    heading.current?.focus();
  }, [selected]);

  // Bring a claim opened from a link (or from the glossary) into view, once per selection, when
  // everything above it has rendered (suggestions push the text down as they arrive).
  const shown = useRef<number | null>(null);
  const settled = ![thread, claims, mentions, candidates].some((query) => query.isPending);
  useEffect(() => {
    if (selectedClaimId === null) {
      shown.current = null;
      return;
    }
    if (shown.current === selectedClaimId || !selected || !settled) return;
    const target =
      document.querySelector(`[data-starts~="${selectedClaimId}"]`) ??
      document.getElementById(`comment-${selected.comment}`);
    if (!target) return;
    shown.current = selectedClaimId;
    const box = target.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) target.scrollIntoView({ block: "center" });
  }, [selectedClaimId, selected, settled]);

  useEffect(() => {
    if (thread.data) document.title = `${thread.data.title} · Sensemap`;
  }, [thread.data]);

  if (thread.isPending) return <p className="muted">Loading the thread…</p>;
  if (thread.isError) return <ErrorNote error={thread.error} />;
  const data = thread.data;
  const source = safeHref(data.source_url);

  return (
    <div className="thread-page">
      <header className="thread-head">
        <h1>{data.title}</h1>
        <p className="thread-meta">
          <span>{plural(data.comment_count, "comment")}</span>
          <span>{plural(data.claim_count, "claim")}</span>
          {source ? (
            <a href={source} rel="noreferrer noopener" target="_blank">
              Original thread
            </a>
          ) : null}
          <Link to={`/threads/${threadId}/map`}>Map of this thread</Link>
          <Link to={`/conflicts?thread=${threadId}`}>
            Conflicts in this thread ({data.open_conflict_count} open)
          </Link>
          {canWrite ? null : <LoginToAnnotate />}
        </p>
        <p id="comment-text-hint" className="visually-hidden">
          Select text with the mouse, or focus the text and press Shift with the arrow keys, then
          press Tab to reach Mark claim. Highlighted claims are buttons that open the claim.
        </p>
      </header>
      <div className="thread-layout">
        <div className="thread-comments">
          <CommentTree
            comments={data.comments}
            claimsByComment={claimsByComment}
            mentionsByComment={mentionsByComment}
            candidatesByComment={candidatesByComment}
            selectedClaimId={selectedClaimId}
            onSelectClaim={selectClaim}
            pending={pending}
            caret={caret}
            canWrite={canWrite}
            onClaimCreated={onClaimCreated}
          />
        </div>
        <div className="thread-side">
          {selected ? (
            <ClaimPanel
              key={selected.id}
              claim={selected}
              claims={claims.data ?? []}
              readings={(readings.data ?? []).filter((r) => r.claim === selected.id)}
              links={links.data ?? []}
              mentions={mentionsByComment.get(selected.comment) ?? []}
              canWrite={canWrite}
              canDelete={canDelete}
              onSelectClaim={selectClaim}
              onClose={() => selectClaim(null)}
              headingRef={heading}
            />
          ) : (
            <div className="panel muted">
              {selectedClaimId !== null && claims.data ? (
                <p>That claim is not in this thread any more.</p>
              ) : null}
              <p>
                Select a highlighted claim to see its readings, or select text in a comment and
                press Mark claim.
              </p>
            </div>
          )}
          <Glossary
            readings={readings.data ?? []}
            claims={claims.data ?? []}
            selectedClaimId={selectedClaimId}
            onSelectClaim={selectClaim}
          />
          <ErrorNote
            error={
              claims.error ?? readings.error ?? links.error ?? mentions.error ?? candidates.error
            }
          />
        </div>
      </div>
    </div>
  );
}
