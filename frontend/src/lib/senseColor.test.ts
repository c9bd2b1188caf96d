import { describe, expect, it } from "vitest";
import { senseColor } from "./senseColor";

describe("senseColor", () => {
  it("gives the same color for the same definition", () => {
    expect(senseColor(7)).toBe(senseColor(7));
    expect(senseColor(7)).toMatch(/^hsl\(\d+(\.\d)? 60% 40%\)$/);
  });

  it("gives neighbouring definitions clearly different hues", () => {
    const hue = (id: number) => Number(/hsl\(([\d.]+)/.exec(senseColor(id))![1]);
    for (let id = 1; id < 50; id++) {
      const gap = Math.abs(hue(id) - hue(id + 1));
      expect(Math.min(gap, 360 - gap)).toBeGreaterThan(30);
    }
  });
});
