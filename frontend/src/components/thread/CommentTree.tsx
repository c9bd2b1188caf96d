// The thread's comments as a reply tree, each an <article> named after its author, with its
// context, posted time, highlighted text, suggestions and (beside a selection) Mark claim.
import { memo, useMemo, useState } from "react";
import type { Claim, Comment, DefinitionCandidate, Mention } from "../../api/resources";
import { excerpt, formatDate, safeHref } from "../../lib/text";
import { CommentText } from "./CommentText";
import { MarkClaim } from "./MarkClaim";
import { type MentionRequest, Suggestions } from "./Suggestions";
import { type Caret, MARK_CLAIM, type PendingClaim } from "./useCommentSelection";

type Shared = {
  claimsByComment: Map<number, Claim[]>;
  mentionsByComment: Map<number, Mention[]>;
  candidatesByComment: Map<number, DefinitionCandidate[]>;
  selectedClaimId: number | null;
  onSelectClaim: (id: number) => void;
  pending: PendingClaim | null;
  caret: Caret | null;
  canWrite: boolean;
  onClaimCreated: (claim: Claim) => void;
};

type Props = Shared & { comments: Comment[] };

const NONE: never[] = [];
/** Deeper replies stop indenting, so long chains stay readable. */
const MAX_INDENT = 6;

export function CommentTree({ comments, ...shared }: Props) {
  const replies = useMemo(() => {
    const ids = new Set(comments.map((c) => c.id));
    const byParent = new Map<number | null, Comment[]>();
    for (const comment of [...comments].sort((a, b) => a.position - b.position)) {
      // A reply to a comment that is not here is shown at the top level.
      const parent = comment.parent !== null && ids.has(comment.parent) ? comment.parent : null;
      byParent.set(parent, [...(byParent.get(parent) ?? []), comment]);
    }
    return byParent;
  }, [comments]);

  return (
    <ol className="comment-tree">
      {(replies.get(null) ?? NONE).map((comment) => (
        <CommentNode key={comment.id} comment={comment} depth={0} replies={replies} {...shared} />
      ))}
    </ol>
  );
}

type NodeProps = Shared & {
  comment: Comment;
  depth: number;
  replies: Map<number | null, Comment[]>;
};

const CommentNode = memo(function CommentNode(props: NodeProps) {
  const { comment, depth, replies, selectedClaimId, onSelectClaim, pending, caret } = props;
  const [openMention, setOpenMention] = useState<MentionRequest | null>(null);
  const claims = props.claimsByComment.get(comment.id) ?? NONE;
  const anchored = useMemo(() => claims.filter((c) => c.anchor === "anchored"), [claims]);
  const orphaned = claims.filter((c) => c.anchor === "orphaned");
  const mentions = props.mentionsByComment.get(comment.id) ?? NONE;
  const children = replies.get(comment.id) ?? NONE;
  const mine = <T extends { comment: number }>(value: T | null) =>
    value !== null && value.comment === comment.id ? value : null;
  const myPending = mine(pending);
  const myCaret = mine(caret);
  const href = safeHref(comment.url);
  const articleId = `comment-${comment.id}`;
  // Pasted text often has no author line.
  const author = comment.author || "an unknown author";

  function tabToMarkClaim(): boolean {
    const control = document
      .getElementById(articleId)
      ?.querySelector<HTMLElement>(`${MARK_CLAIM} button, ${MARK_CLAIM} a`);
    if (!control) return false;
    control.focus();
    return true;
  }

  return (
    <li className={depth < MAX_INDENT ? "comment-node" : "comment-node flat"}>
      <article id={articleId} className="comment" aria-label={`Comment by ${author}`}>
        {comment.context ? <p className="comment-context">{comment.context}</p> : null}
        <header className="comment-head">
          <strong className="comment-author">
            {comment.author || <span className="muted">Unknown author</span>}
          </strong>
          {comment.posted_at ? (
            <time dateTime={comment.posted_at}>
              {formatDate(comment.posted_at)}
            </time>
          ) : null}
          {href ? (
            <a className="muted" href={href} rel="noreferrer noopener" target="_blank">
              source
            </a>
          ) : null}
        </header>
        <CommentText
          comment={comment}
          claims={anchored}
          mentions={mentions}
          selectedClaimId={selectedClaimId}
          onSelectClaim={onSelectClaim}
          onMentionClick={(id) => setOpenMention({ id })}
          onTabForward={tabToMarkClaim}
        />
        {myCaret ? (
          <span
            className="fake-caret"
            aria-hidden="true"
            style={{ top: myCaret.top, left: myCaret.left, height: myCaret.height }}
          />
        ) : null}
        {myPending ? (
          <MarkClaim
            key={`${myPending.start}-${myPending.end}`}
            pending={myPending}
            canWrite={props.canWrite}
            onCreated={props.onClaimCreated}
          />
        ) : null}
        {orphaned.length ? (
          <p className="orphans">
            <span className="muted">Text gone since re-import: </span>
            {orphaned.map((claim) => (
              <button
                key={claim.id}
                type="button"
                className="link"
                onClick={() => onSelectClaim(claim.id)}
              >
                “{excerpt(claim.quote, 60)}”
              </button>
            ))}
          </p>
        ) : null}
        <Suggestions
          text={comment.text}
          candidates={props.candidatesByComment.get(comment.id) ?? NONE}
          mentions={mentions}
          canWrite={props.canWrite}
          openMention={openMention}
          onSelectClaim={onSelectClaim}
        />
      </article>
      {children.length ? (
        <ol className="replies">
          {children.map((child) => (
            <CommentNode key={child.id} {...props} comment={child} depth={depth + 1} />
          ))}
        </ol>
      ) : null}
    </li>
  );
});
