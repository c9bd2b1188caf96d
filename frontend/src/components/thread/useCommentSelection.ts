// Follows the document selection: the span of one comment's text it covers (and where to show
// the Mark claim control beside it), or where the caret sits while a comment's text has focus.
import { useCallback, useEffect, useRef, useState } from "react";
import { type Span, selectionOffsets, trimSpan } from "../../lib/selection";

/** A selection that can become a claim, positioned relative to its comment's <article>. */
export type PendingClaim = Span & { comment: number; top: number; left: number };

/** Where to draw the caret: non-editable text has none of its own. */
export type Caret = { comment: number; top: number; left: number; height: number };

export const COMMENT_TEXT = "[data-comment-text]";
export const MARK_CLAIM = "[data-mark-claim]";
const CONTROL_WIDTH = 130;

function elementOf(node: Node | null): Element | null {
  return node instanceof Element ? node : (node?.parentElement ?? null);
}

function commentRoot(range: Range): HTMLElement | null {
  const root =
    elementOf(range.startContainer)?.closest(COMMENT_TEXT) ??
    elementOf(range.endContainer)?.closest(COMMENT_TEXT);
  return root instanceof HTMLElement ? root : null;
}

function frame(root: HTMLElement): DOMRect {
  return (root.closest("article") ?? root).getBoundingClientRect();
}

function readPending(
  selection: Selection,
  textOf: (comment: number) => string | undefined,
): PendingClaim | null {
  if (selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const root = commentRoot(range);
  if (!root) return null;
  const comment = Number(root.dataset.commentText);
  const text = textOf(comment);
  const offsets = selectionOffsets(root, range);
  const span = offsets && text !== undefined ? trimSpan(text, offsets) : null;
  if (!span) return null;
  // Beside the end the user moved: the start of a backwards selection, else the end.
  const backwards =
    selection.focusNode === range.startContainer && selection.focusOffset === range.startOffset;
  const rects = range.getClientRects();
  const rect = rects.length
    ? rects[backwards ? 0 : rects.length - 1]
    : range.getBoundingClientRect();
  const box = frame(root);
  const x = (backwards ? rect.left : rect.right) - box.left;
  return {
    comment,
    ...span,
    top: rect.bottom - box.top + 4,
    left: Math.max(0, Math.min(x, box.width - CONTROL_WIDTH)),
  };
}

function readCaret(selection: Selection): Caret | null {
  if (selection.rangeCount === 0 || !selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const root = commentRoot(range);
  if (!root || !root.contains(document.activeElement)) return null;
  const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
  if (rect.height === 0) return null;
  const box = frame(root);
  return {
    comment: Number(root.dataset.commentText),
    top: rect.top - box.top,
    left: rect.left - box.left,
    height: rect.height,
  };
}

function same<T extends object>(a: T | null, b: T | null): boolean {
  if (a === null || b === null) return a === b;
  return (Object.keys(a) as (keyof T)[]).every((key) => a[key] === b[key]);
}

export function useCommentSelection(textOf: (comment: number) => string | undefined) {
  const [pending, setPending] = useState<PendingClaim | null>(null);
  const [caret, setCaret] = useState<Caret | null>(null);
  const textOfRef = useRef(textOf);
  useEffect(() => {
    textOfRef.current = textOf;
  }, [textOf]);

  useEffect(() => {
    let dragging = false;
    const update = () => {
      const selection = document.getSelection();
      if (dragging || !selection) return;
      const next = readPending(selection, textOfRef.current);
      // Tabbing or clicking to the Mark claim control may collapse the selection: keep the span.
      const keep = next === null && document.activeElement?.closest(MARK_CLAIM);
      if (!keep) setPending((previous) => (same(previous, next) ? previous : next));
      const nextCaret = readCaret(selection);
      setCaret((previous) => (same(previous, nextCaret) ? previous : nextCaret));
    };
    const down = (event: PointerEvent) => {
      if (event.target instanceof Element && event.target.closest(MARK_CLAIM)) return;
      dragging = true;
      setPending(null);
    };
    const up = () => {
      if (!dragging) return;
      dragging = false;
      // The selection is final once the browser has handled the release.
      window.setTimeout(update, 0);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === "Escape") setPending(null);
    };
    document.addEventListener("selectionchange", update);
    document.addEventListener("pointerdown", down);
    document.addEventListener("pointerup", up);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("selectionchange", update);
      document.removeEventListener("pointerdown", down);
      document.removeEventListener("pointerup", up);
      document.removeEventListener("keydown", escape);
    };
  }, []);

  const clear = useCallback(() => setPending(null), []);
  return { pending, caret, clear };
}
