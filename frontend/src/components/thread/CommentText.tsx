// One comment's text with its claims highlighted and its term mentions underlined. The text is
// split into segments at every claim and mention boundary and always rendered as text nodes:
// user text is never markup. Highlights are buttons that select their claim; the text itself
// takes focus so a selection can be made with shift+arrow keys.
import { Fragment, type KeyboardEvent, type MouseEvent, useMemo } from "react";
import type { Claim, Comment, Mention } from "../../api/resources";
import { type Segment, segmentText } from "../../lib/segments";
import { COMMENT_TEXT } from "./useCommentSelection";

type Props = {
  comment: Comment;
  claims: Claim[];
  mentions: Mention[];
  selectedClaimId: number | null;
  onSelectClaim: (id: number) => void;
  onMentionClick: (id: number) => void;
  /** Moves focus on from the text (to the Mark claim control); false when there is none. */
  onTabForward: () => boolean;
};

/** Shift with arrows, Home or End selects text; without Shift, left, right, Home and End move the
 * caret (up and down still scroll the page); null for any other key. */
function caretCommand(event: KeyboardEvent): [string, string, string] | null {
  if (event.metaKey) return null;
  const alter = event.shiftKey ? "extend" : "move";
  const unit = event.ctrlKey || event.altKey ? "word" : "character";
  switch (event.key) {
    case "ArrowLeft":
      return [alter, "backward", unit];
    case "ArrowRight":
      return [alter, "forward", unit];
    case "ArrowUp":
      return event.shiftKey ? ["extend", "backward", "line"] : null;
    case "ArrowDown":
      return event.shiftKey ? ["extend", "forward", "line"] : null;
    case "Home":
      return [alter, "backward", "lineboundary"];
    case "End":
      return [alter, "forward", "lineboundary"];
    default:
      return null;
  }
}

export function CommentText(props: Props) {
  const { comment, claims, mentions, selectedClaimId, onSelectClaim, onMentionClick } = props;
  const claimById = useMemo(() => new Map(claims.map((c) => [c.id, c])), [claims]);
  const mentionById = useMemo(() => new Map(mentions.map((m) => [m.id, m])), [mentions]);
  const segments = useMemo(
    () => segmentText(comment.text, claims, mentions),
    [comment.text, claims, mentions],
  );

  // The claims under a segment, innermost (latest start, then shortest) first; activating the
  // segment again moves on to the next one, so every overlapping claim can be reached.
  function activate(segment: Segment) {
    const order = segment.claims
      .map((id) => claimById.get(id))
      .filter((c): c is Claim => c !== undefined)
      .sort((a, b) => b.start - a.start || a.end - a.start - (b.end - b.start) || a.id - b.id);
    const current = order.findIndex((c) => c.id === selectedClaimId);
    const next = order[(current + 1) % order.length];
    if (next) onSelectClaim(next.id);
  }

  function clickMark(event: MouseEvent, segment: Segment) {
    // The end of a drag that selected text is not a click on the highlight.
    const selection = document.getSelection();
    const root = event.currentTarget.closest(COMMENT_TEXT);
    if (selection && !selection.isCollapsed && root?.contains(selection.anchorNode)) return;
    activate(segment);
  }

  function keyDownMark(event: KeyboardEvent, segment: Segment) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      activate(segment);
    }
  }

  function keyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Tab" && !event.shiftKey) {
      if (props.onTabForward()) event.preventDefault();
      return;
    }
    const command = caretCommand(event);
    const selection = document.getSelection();
    if (!command || !selection) return;
    event.preventDefault();
    const root = event.currentTarget;
    if (selection.rangeCount === 0 || !root.contains(selection.focusNode)) {
      // Start from the focused highlight, or from the beginning of the text.
      const from =
        event.target instanceof Node && root.contains(event.target) ? event.target : root;
      selection.collapse(from, 0);
    }
    selection.modify(...command);
  }

  return (
    <div
      className="comment-text"
      data-comment-text={comment.id}
      tabIndex={0}
      aria-describedby="comment-text-hint"
      onKeyDown={keyDown}
    >
      {segments.map((segment) => {
        const underlined = segment.mentions
          .map((id) => mentionById.get(id))
          .filter((m): m is Mention => m !== undefined);
        const text = underlined.length ? (
          <span
            className={`mention mention-${underlined[0].status}`}
            title={`${underlined.map((m) => m.term_name).join(", ")} (${underlined[0].status})`}
            onClick={segment.claims.length ? undefined : () => onMentionClick(underlined[0].id)}
          >
            {segment.text}
          </span>
        ) : (
          segment.text
        );
        if (!segment.claims.length) return <Fragment key={segment.start}>{text}</Fragment>;
        const starts = segment.claims.filter((id) => claimById.get(id)?.start === segment.start);
        const selected = selectedClaimId !== null && segment.claims.includes(selectedClaimId);
        return (
          <mark
            key={segment.start}
            className={selected ? "claim is-selected" : "claim"}
            data-depth={Math.min(segment.claims.length, 3)}
            data-starts={starts.length ? starts.join(" ") : undefined}
            role="button"
            tabIndex={starts.length ? 0 : -1}
            onClick={(event) => clickMark(event, segment)}
            onKeyDown={(event) => keyDownMark(event, segment)}
          >
            {text}
          </mark>
        );
      })}
    </div>
  );
}
