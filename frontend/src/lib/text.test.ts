import { describe, expect, it } from "vitest";
import { excerpt, safeHref } from "./text";

describe("excerpt", () => {
  it("keeps short text and flattens whitespace", () => {
    expect(excerpt("  two\n words ", 20)).toBe("two words");
  });

  it("cuts long text on a word boundary", () => {
    expect(excerpt("outer alignment is the reward being right", 20)).toBe("outer alignment is…");
  });
});

describe("safeHref", () => {
  it("allows http and https only", () => {
    expect(safeHref("https://example.org/a?b=1")).toBe("https://example.org/a?b=1");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref(" JavaScript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,<script>")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
    expect(safeHref("")).toBeNull();
  });
});
