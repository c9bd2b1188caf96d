// The Cytoscape canvas. Clicking a claim, or walking to it with the arrow keys and pressing
// Enter, opens it in the thread view; a live region says which claim has keyboard focus.
// Cytoscape is loaded on demand, so only the map screen pays for it.
import type { Core } from "cytoscape";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { MapClaimRow, MapModel } from "./model";
import { MAP_STYLE } from "./style";

type Props = {
  model: MapModel;
  onOpen: (claim: number) => void;
  describe: (claim: MapClaimRow) => string;
};

const MIN_HEIGHT = 320;

/** Size the canvas to the graph's shape (within limits), so a wide, shallow thread does not
 * sit in a tall box of empty space. */
function fitHeight(cy: Core) {
  const container = cy.container();
  const box = cy.elements().boundingBox();
  if (!container || box.w <= 0) return;
  const ideal = (container.clientWidth * box.h) / box.w + 48;
  const height = Math.round(Math.min(Math.max(ideal, MIN_HEIGHT), window.innerHeight * 0.75));
  container.style.height = `${height}px`;
  cy.resize();
}

const MAX_FIT_ZOOM = 1.1;

/** Fit the whole map in view, without blowing a small map up past a comfortable size. */
function fitAll(cy: Core) {
  cy.fit(undefined, 24);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export function MapCanvas({ model, onOpen, describe }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const [cy, setCy] = useState<Core | null>(null);
  const openRef = useRef(onOpen);
  const idsRef = useRef<string[]>([]);
  const [focused, setFocused] = useState<number | null>(null);
  const helpId = useId();

  useEffect(() => {
    openRef.current = onOpen;
  }, [onOpen]);

  useEffect(() => {
    let cancelled = false;
    let instance: Core | null = null;
    void import("cytoscape").then(({ default: cytoscape }) => {
      if (cancelled || !container.current) return;
      instance = cytoscape({
        container: container.current,
        style: MAP_STYLE,
        layout: { name: "preset" },
        minZoom: 0.15,
        maxZoom: 2.5,
        boxSelectionEnabled: false,
        autoungrabify: true,
      });
      instance.on("tap", "node.claim", (event) => openRef.current(Number(event.target.data("claim"))));
      instance.on("mouseover", "node.claim", () => {
        if (container.current) container.current.style.cursor = "pointer";
      });
      instance.on("mouseout", "node.claim", () => {
        if (container.current) container.current.style.cursor = "";
      });
      setCy(instance);
    });
    return () => {
      cancelled = true;
      instance?.destroy();
      idsRef.current = [];
      setCy(null);
    };
  }, []);

  // Replace the elements when the model changes; keep the view unless the claims changed. Keyed
  // by the elements' content, not the model's identity: a poll that changes nothing redraws nothing.
  const elementsKey = JSON.stringify(model.elements);
  useEffect(() => {
    if (!cy) return;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(model.elements);
    });
    const ids = model.elements.map((e) => String(e.data.id));
    if (!sameIds(ids, idsRef.current)) {
      fitHeight(cy);
      fitAll(cy);
    }
    idsRef.current = ids;
  }, [cy, elementsKey]);

  // Show keyboard focus as the selected node, and keep it in view.
  useEffect(() => {
    if (!cy) return;
    cy.nodes().unselect();
    if (focused === null) return;
    const node = cy.getElementById(`claim-${focused}`);
    if (node.empty()) return;
    node.select();
    const view = cy.extent();
    const box = node.boundingBox();
    if (box.x1 < view.x1 || box.x2 > view.x2 || box.y1 < view.y1 || box.y2 > view.y2) {
      cy.animate({ center: { eles: node } }, { duration: 150 });
    }
  }, [cy, focused, elementsKey]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const order = model.order;
    if (order.length === 0) return;
    const index = focused === null ? -1 : order.indexOf(focused);
    const move = (to: number) => {
      event.preventDefault();
      setFocused(order[Math.max(0, Math.min(order.length - 1, to))]);
    };
    switch (event.key) {
      case "ArrowDown":
      case "ArrowRight":
        return move(index + 1);
      case "ArrowUp":
      case "ArrowLeft":
        return move(index < 0 ? 0 : index - 1);
      case "Home":
        return move(0);
      case "End":
        return move(order.length - 1);
      case "Enter":
      case " ":
        if (focused !== null) {
          event.preventDefault();
          onOpen(focused);
        }
        return;
      case "+":
      case "=":
        return zoom(event, 1.25);
      case "-":
        return zoom(event, 0.8);
      case "0":
        event.preventDefault();
        if (cy) fitAll(cy);
        return;
    }
  }

  function zoom(event: KeyboardEvent | null, factor: number) {
    event?.preventDefault();
    if (!cy) return;
    const { width, height } = cy.container()?.getBoundingClientRect() ?? { width: 0, height: 0 };
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: width / 2, y: height / 2 } });
  }

  const current = focused === null ? undefined : model.rows.flatMap((r) => r.claims).find((c) => c.id === focused);
  const position = focused === null ? -1 : model.order.indexOf(focused);

  return (
    <div className="map-canvas-wrap">
      <div className="map-toolbar" role="toolbar" aria-label="Map view">
        <button type="button" onClick={() => zoom(null, 1.25)}>
          Zoom in
        </button>
        <button type="button" onClick={() => zoom(null, 0.8)}>
          Zoom out
        </button>
        <button type="button" onClick={() => cy && fitAll(cy)}>
          Fit
        </button>
        <span id={helpId} className="hint">
          Drag to pan, scroll to zoom. On the map, arrow keys move between claims and Enter opens one.
        </span>
      </div>
      <div
        ref={container}
        className="map-canvas"
        tabIndex={0}
        role="application"
        aria-roledescription="argument map"
        aria-label={`Argument map of ${model.order.length} claims`}
        aria-describedby={helpId}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (focused === null && model.order.length) setFocused(model.order[0]);
        }}
      />
      <p className="visually-hidden" aria-live="polite">
        {current ? `Claim ${position + 1} of ${model.order.length}: ${describe(current)}` : ""}
      </p>
    </div>
  );
}
