// Colours for the Cytoscape canvas, which parses only comma-separated colour functions.
import { senseColor } from "../../lib/senseColor";

/** "hsl(120 60% 40%)" (CSS Color 4, what senseColor gives) as "hsl(120, 60%, 40%)". */
export function toCytoscapeColor(css: string): string {
  const match = /^(hsla?|rgba?)\(\s*([^)]*?)\s*\)$/.exec(css.trim());
  if (!match || match[2].includes(",")) return css;
  const [channels, alpha] = match[2].split("/").map((part) => part.trim());
  const values = channels.split(/\s+/);
  const name = match[1].replace(/a$/, "");
  return alpha ? `${name}a(${[...values, alpha].join(", ")})` : `${name}(${values.join(", ")})`;
}

export function senseCanvasColor(definitionId: number): string {
  return toCytoscapeColor(senseColor(definitionId));
}
