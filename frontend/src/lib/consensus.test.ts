import { describe, expect, it } from "vitest";
import { consensus, tally } from "./consensus";

describe("consensus", () => {
  it("follows the two-thirds rule", () => {
    expect(consensus(0, 0)).toBe("none");
    expect(consensus(1, 0)).toBe("accepted");
    expect(consensus(2, 1)).toBe("accepted");
    expect(consensus(0, 3)).toBe("rejected");
    expect(consensus(1, 2)).toBe("rejected");
    expect(consensus(1, 1)).toBe("contested");
    expect(consensus(3, 2)).toBe("contested");
  });

  it("writes the tally", () => {
    expect(tally(3, 1)).toBe("3 agree · 1 disagree");
  });
});
