import { afterEach, describe, expect, it } from "vitest";
import { codePointLength, selectionOffsets, trimSpan } from "./selection";

// Two comments rendered as the thread view renders them: the text element holds only the
// comment's text, split into <mark> claims and underlined mentions.
function render(): { first: HTMLElement; second: HTMLElement } {
  document.body.innerHTML = `
    <article><header>ada</header>
      <div id="first">Outer <mark>alignment is <span class="mention">hard</span></mark> to check.</div>
    </article>
    <article><header>bob</header>
      <div id="second">Inner alignment too.</div>
    </article>`;
  return {
    first: document.getElementById("first")!,
    second: document.getElementById("second")!,
  };
}

function textNode(parent: Node, index = 0): Text {
  const node = parent.childNodes[index];
  if (!(node instanceof Text)) throw new Error("not a text node");
  return node;
}

function rangeBetween(startNode: Node, startOffset: number, endNode: Node, endOffset: number) {
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  return range;
}

afterEach(() => {
  document.getSelection()?.removeAllRanges();
});

describe("selectionOffsets", () => {
  it("reads a selection in plain text", () => {
    const { second } = render();
    const text = textNode(second);
    expect(selectionOffsets(second, rangeBetween(text, 6, text, 15))).toEqual({
      start: 6,
      end: 15,
    });
    expect(second.textContent!.slice(6, 15)).toBe("alignment");
  });

  it("reads a selection across a <mark>", () => {
    const { first } = render();
    const before = textNode(first, 0); // "Outer "
    const after = textNode(first, 2); // " to check."
    const span = selectionOffsets(first, rangeBetween(before, 2, after, 3));
    expect(span).toEqual({ start: 2, end: 26 });
    expect(first.textContent!.slice(2, 26)).toBe("ter alignment is hard to");
  });

  it("reads a selection that starts inside a highlight", () => {
    const { first } = render();
    const mark = first.querySelector("mark")!;
    const after = textNode(first, 2);
    const span = selectionOffsets(first, rangeBetween(textNode(mark), 3, after, 9));
    expect(span).toEqual({ start: 9, end: 32 });
    expect(first.textContent!.slice(9, 32)).toBe("gnment is hard to check");
  });

  it("reads a selection that ends inside an underline", () => {
    const { first } = render();
    const mention = first.querySelector(".mention")!;
    const span = selectionOffsets(first, rangeBetween(textNode(first), 0, textNode(mention), 2));
    expect(span).toEqual({ start: 0, end: 21 });
    expect(first.textContent!.slice(0, 21)).toBe("Outer alignment is ha");
  });

  it("reads boundary points given as element offsets", () => {
    const { first } = render();
    const mark = first.querySelector("mark")!;
    expect(selectionOffsets(first, rangeBetween(first, 1, first, 2))).toEqual({
      start: 6,
      end: 23,
    });
    expect(mark.textContent).toBe("alignment is hard");
  });

  it("gives null for a selection spanning two comments", () => {
    const { first, second } = render();
    const range = rangeBetween(textNode(first), 2, textNode(second), 4);
    expect(selectionOffsets(first, range)).toBeNull();
    expect(selectionOffsets(second, range)).toBeNull();
  });

  it("gives null for a selection in another comment", () => {
    const { first, second } = render();
    expect(
      selectionOffsets(first, rangeBetween(textNode(second), 0, textNode(second), 5)),
    ).toBeNull();
  });

  it("gives null for a collapsed selection", () => {
    const { first } = render();
    const text = textNode(first);
    expect(selectionOffsets(first, rangeBetween(text, 3, text, 3))).toBeNull();
    const selection = document.getSelection()!;
    selection.collapse(text, 3);
    expect(selectionOffsets(first, selection)).toBeNull();
    selection.removeAllRanges();
    expect(selectionOffsets(first, selection)).toBeNull();
  });

  it("reads a backwards selection in start-to-end order", () => {
    const { first } = render();
    const mention = first.querySelector(".mention")!;
    const selection = document.getSelection()!;
    // Anchor after focus, as when dragging from right to left or pressing shift+left.
    selection.setBaseAndExtent(textNode(mention), 4, textNode(first), 6);
    expect(selection.anchorOffset).toBe(4);
    expect(selectionOffsets(first, selection)).toEqual({ start: 6, end: 23 });
  });

  it("reads a Selection object made forwards", () => {
    const { second } = render();
    const selection = document.getSelection()!;
    selection.setBaseAndExtent(textNode(second), 0, textNode(second), 5);
    expect(selectionOffsets(second, selection)).toEqual({ start: 0, end: 5 });
  });

  it("clamps a boundary just past the comment when no text lies between", () => {
    const { first } = render();
    const article = first.parentElement!;
    const end = Array.prototype.indexOf.call(article.childNodes, first) + 1;
    const span = selectionOffsets(first, rangeBetween(textNode(first), 0, article, end));
    expect(span).toEqual({ start: 0, end: first.textContent!.length });
  });

  it("gives null when the selection takes in the author's name", () => {
    const { first } = render();
    const header = first.parentElement!.querySelector("header")!;
    expect(
      selectionOffsets(first, rangeBetween(textNode(header), 0, textNode(first), 4)),
    ).toBeNull();
  });

  it("counts code points, not UTF-16 units", () => {
    document.body.innerHTML = `<div id="c">a😀 <mark>b😀c</mark> d</div>`;
    const root = document.getElementById("c")!;
    const mark = root.querySelector("mark")!;
    // "a😀 " is 3 code points (4 UTF-16 units); the selection is "😀c".
    const span = selectionOffsets(root, rangeBetween(textNode(mark), 1, textNode(mark), 4));
    expect(span).toEqual({ start: 4, end: 6 });
    expect(Array.from(root.textContent!).slice(4, 6).join("")).toBe("😀c");
  });
});

describe("codePointLength", () => {
  it("counts a surrogate pair once and a lone surrogate once", () => {
    expect(codePointLength("a😀b")).toBe(3);
    expect(codePointLength("\ud800x")).toBe(2);
    expect(codePointLength("")).toBe(0);
  });
});

describe("trimSpan", () => {
  it("drops whitespace at the ends", () => {
    expect(trimSpan(" a word \n", { start: 0, end: 9 })).toEqual({ start: 1, end: 7 });
    expect(trimSpan("a word", { start: 2, end: 6 })).toEqual({ start: 2, end: 6 });
  });

  it("gives null for a span of whitespace", () => {
    expect(trimSpan("a   b", { start: 1, end: 4 })).toBeNull();
  });
});
