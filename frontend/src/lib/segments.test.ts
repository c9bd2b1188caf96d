import { describe, expect, it } from "vitest";
import { type Layer, segmentText } from "./segments";

const pieces = (text: string, claims: Layer[], mentions: Layer[]) =>
  segmentText(text, claims, mentions).map((s) => [s.text, s.claims, s.mentions]);

describe("segmentText", () => {
  it("keeps text without layers as one segment", () => {
    expect(pieces("plain text", [], [])).toEqual([["plain text", [], []]]);
  });

  it("gives no segment for empty text", () => {
    expect(segmentText("", [], [])).toEqual([]);
  });

  it("splits at the edges of a claim", () => {
    expect(pieces("one two three", [{ id: 1, start: 4, end: 7 }], [])).toEqual([
      ["one ", [], []],
      ["two", [1], []],
      [" three", [], []],
    ]);
  });

  it("splits overlapping claims and a mention at every boundary", () => {
    const text = "outer alignment is hard";
    const claims = [
      { id: 1, start: 0, end: 15 },
      { id: 2, start: 6, end: 23 },
    ];
    const mentions = [{ id: 9, start: 0, end: 15 }];
    expect(pieces(text, claims, mentions)).toEqual([
      ["outer ", [1], [9]],
      ["alignment", [1, 2], [9]],
      [" is hard", [2], []],
    ]);
  });

  it("handles a claim nested in another and one over the same span", () => {
    const claims = [
      { id: 1, start: 0, end: 10 },
      { id: 2, start: 3, end: 6 },
      { id: 3, start: 3, end: 6 },
    ];
    expect(pieces("abcdefghij", claims, [])).toEqual([
      ["abc", [1], []],
      ["def", [1, 2, 3], []],
      ["ghij", [1], []],
    ]);
  });

  it("clamps offsets to the text and drops empty spans", () => {
    const claims = [
      { id: 1, start: -4, end: 2 },
      { id: 2, start: 3, end: 99 },
      { id: 3, start: 2, end: 2 },
    ];
    expect(pieces("abcde", claims, [])).toEqual([
      ["ab", [1], []],
      ["c", [], []],
      ["de", [2], []],
    ]);
  });

  it("counts offsets in code points", () => {
    expect(pieces("😀ab😀c", [{ id: 1, start: 1, end: 4 }], [])).toEqual([
      ["😀", [], []],
      ["ab😀", [1], []],
      ["c", [], []],
    ]);
  });

  it("keeps the text exactly, hostile markup included", () => {
    const text = '<img src=x onerror="alert(1)"> & <script>';
    const segments = segmentText(text, [{ id: 1, start: 0, end: 5 }], []);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });
});
