// One color per sense (definition), shared by the thread view and the map so a sense looks the
// same everywhere. Hues step by the golden angle, so neighbouring ids stay far apart.
import type { CSSProperties } from "react";

const GOLDEN_ANGLE = 137.508;

/** A CSS color for a definition, readable as text and as a swatch on a white background. */
export function senseColor(definitionId: number): string {
  const hue = (((definitionId * GOLDEN_ANGLE) % 360) + 360) % 360;
  return `hsl(${hue.toFixed(1)} 60% 40%)`;
}

/** The sense's color as the `--sense` custom property the stylesheet's chips and swatches read. */
export function senseStyle(definitionId: number | null): CSSProperties | undefined {
  return definitionId === null
    ? undefined
    : ({ "--sense": senseColor(definitionId) } as CSSProperties);
}
