// How the map looks: comments as light boxes labelled with their author, claims coloured by
// sense, and one line style and arrow per kind of link (so kinds differ without colour too).
import type { StylesheetJson } from "cytoscape";
import { CLAIM_HEIGHT, CLAIM_WIDTH } from "./layout";
import { LINK_KINDS } from "./model";

const ARROWS: Record<string, string> = {
  supports: "triangle",
  attacks: "tee",
  restates: "triangle",
  clarifies: "vee",
};

export const MAP_STYLE: StylesheetJson = [
  {
    selector: "node.comment",
    style: {
      shape: "round-rectangle",
      "background-color": "#ffffff",
      "border-color": "#d1d9e0",
      "border-width": 1,
      padding: "12px",
      label: "data(label)",
      "text-valign": "top",
      "text-halign": "center",
      "text-margin-y": -4,
      "font-size": 13,
      "font-weight": "bold",
      color: "#1f2328",
      "font-family": "system-ui, -apple-system, Segoe UI, sans-serif",
    },
  },
  {
    selector: "node.comment.empty",
    style: {
      width: CLAIM_WIDTH,
      height: 28,
      "background-color": "#f6f8fa",
      "border-style": "dashed",
      "text-valign": "center",
      "text-margin-y": 0,
      "font-weight": "normal",
      color: "#59636e",
    },
  },
  {
    selector: "node.claim",
    style: {
      shape: "round-rectangle",
      width: CLAIM_WIDTH,
      height: CLAIM_HEIGHT,
      "background-color": "data(color)",
      "border-width": 1,
      "border-color": "#8c959f",
      label: "data(label)",
      "text-wrap": "wrap",
      "text-max-width": `${CLAIM_WIDTH - 16}px`,
      "text-valign": "center",
      "text-halign": "center",
      "font-size": 12,
      "line-height": 1.25,
      color: "#ffffff",
      "font-family": "system-ui, -apple-system, Segoe UI, sans-serif",
    },
  },
  { selector: "node.claim.unread", style: { color: "#1f2328", "border-color": "#d1d9e0" } },
  {
    selector: "node.claim.contested",
    style: { "border-width": 3, "border-style": "dashed", "border-color": "#9a6700" },
  },
  { selector: "node.claim.orphaned", style: { opacity: 0.6 } },
  {
    selector: "node.claim:selected",
    style: { "border-width": 4, "border-color": "#0969da", "border-style": "solid" },
  },
  {
    selector: "edge",
    style: {
      "curve-style": "bezier",
      width: 2,
      "target-arrow-shape": "triangle",
      "arrow-scale": 1.1,
      label: "data(label)",
      "font-size": 10,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": "2px",
      "text-rotation": "autorotate",
    },
  },
  {
    selector: "edge.reply",
    style: {
      width: 1,
      "line-color": "#d1d9e0",
      "target-arrow-shape": "none",
      "curve-style": "taxi",
      "taxi-direction": "rightward",
      label: "",
    },
  },
  ...LINK_KINDS.map((k) => ({
    selector: `edge.${k.kind}`,
    style: {
      "line-color": k.color,
      "target-arrow-color": k.color,
      "line-style": k.line,
      "target-arrow-shape": ARROWS[k.kind],
      color: k.color,
    },
  })),
] as StylesheetJson;
