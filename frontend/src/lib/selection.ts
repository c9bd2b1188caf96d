// Turns a DOM selection inside one comment's rendered text into the character offsets the API
// anchors claims by. The comment's text element holds nothing but the comment's text (split into
// highlight and underline elements), so the text before a boundary point is the comment's text
// before it. Offsets count Unicode code points, as the API (and W3C TextPositionSelector) do,
// while the DOM counts UTF-16 code units.

export type Span = { start: number; end: number };

/** The number of code points in `text`. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function rangeOf(selection: Selection | Range): Range | null {
  if ("rangeCount" in selection) {
    return selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  }
  return selection;
}

/**
 * The offset of a boundary point in the text of `root`, or null when the point lies outside the
 * comment with visible text between it and the comment (a boundary just past the comment, as a
 * triple click leaves it, is clamped to the comment's edge).
 */
function offsetOf(root: Element, node: Node, offset: number): number | null {
  const doc = root.ownerDocument;
  const inner = doc.createRange();
  inner.selectNodeContents(root);
  let where: number;
  try {
    where = inner.comparePoint(node, offset);
  } catch {
    return null; // another document, or a doctype
  }
  const span = doc.createRange();
  if (where === 0) {
    span.setStart(root, 0);
    span.setEnd(node, offset);
    return codePointLength(span.toString());
  }
  if (where < 0) {
    span.setStart(node, offset);
    span.setEnd(root, 0);
  } else {
    span.setStart(root, root.childNodes.length);
    span.setEnd(node, offset);
  }
  if (span.toString().trim() !== "") return null;
  return where < 0 ? 0 : codePointLength(root.textContent ?? "");
}

/**
 * Where a selection lies in the text of the comment rendered in `root`: {start, end} in code
 * points, start before end whichever way the selection was made; null when it is collapsed or
 * takes in text outside the comment.
 */
export function selectionOffsets(root: Element, selection: Selection | Range): Span | null {
  const range = rangeOf(selection);
  if (!range || range.collapsed) return null;
  const start = offsetOf(root, range.startContainer, range.startOffset);
  const end = offsetOf(root, range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

/** The span without the whitespace at its ends (a double click often takes a trailing space). */
export function trimSpan(text: string, span: Span): Span | null {
  const chars = Array.from(text);
  let { start, end } = span;
  while (start < end && /\s/u.test(chars[start] ?? "")) start++;
  while (end > start && /\s/u.test(chars[end - 1] ?? "")) end--;
  return end > start ? { start, end } : null;
}
