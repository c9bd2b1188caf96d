import { describe, expect, it } from "vitest";
import { senseColor } from "../../lib/senseColor";
import { senseCanvasColor, toCytoscapeColor } from "./color";

describe("toCytoscapeColor", () => {
  it("puts commas into space-separated colour functions", () => {
    expect(toCytoscapeColor("hsl(137.5 60% 40%)")).toBe("hsl(137.5, 60%, 40%)");
    expect(toCytoscapeColor("rgb(1 2 3 / 0.5)")).toBe("rgba(1, 2, 3, 0.5)");
  });

  it("leaves colours Cytoscape already reads alone", () => {
    expect(toCytoscapeColor("hsl(10, 60%, 40%)")).toBe("hsl(10, 60%, 40%)");
    expect(toCytoscapeColor("#f6f8fa")).toBe("#f6f8fa");
  });

  it("gives the canvas the thread view's colour for a sense", () => {
    const [h, s, l] = /hsl\(([\d.]+) ([\d.]+%) ([\d.]+%)\)/.exec(senseColor(7))!.slice(1);
    expect(senseCanvasColor(7)).toBe(`hsl(${h}, ${s}, ${l})`);
  });
});
