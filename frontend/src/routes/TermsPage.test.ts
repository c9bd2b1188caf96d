import { describe, expect, it } from "vitest";
import { parseAliases } from "./TermsPage";

describe("parseAliases", () => {
  it("splits on commas and new lines, dropping blanks and repeats", () => {
    expect(parseAliases("outer-aligned, outer aligned\n\nOuter Aligned, ,x")).toEqual([
      "outer-aligned",
      "outer aligned",
      "x",
    ]);
    expect(parseAliases("")).toEqual([]);
  });
});
