// What the map's colours and lines mean: one entry per sense of the chosen term, and one per
// kind of link.
import { LINK_KINDS, type SenseLegendEntry } from "./model";

export function SenseLegend({
  term,
  senses,
  unread,
}: {
  term: string | undefined;
  senses: SenseLegendEntry[];
  unread: number;
}) {
  return (
    <section className="legend" aria-labelledby="sense-legend">
      <h2 id="sense-legend">{term ? `Senses of “${term}”` : "Senses"}</h2>
      <ul>
        {senses.map((sense) => (
          <li key={sense.definition} title={sense.text}>
            <span className="swatch swatch-lg" style={{ background: sense.color }} aria-hidden="true" />
            <span>
              {sense.label || `Definition ${sense.definition}`}{" "}
              <span className="muted">({sense.claims === 1 ? "1 claim" : `${sense.claims} claims`})</span>
            </span>
          </li>
        ))}
        <li>
          <span className="swatch swatch-lg swatch-none" aria-hidden="true" />
          <span>
            {term ? "No reading of this term" : "No term chosen"}{" "}
            <span className="muted">({unread === 1 ? "1 claim" : `${unread} claims`})</span>
          </span>
        </li>
        <li>
          <span className="swatch swatch-lg swatch-contested" aria-hidden="true" />
          <span>Dashed border: votes on the reading are split</span>
        </li>
      </ul>
    </section>
  );
}

export function LinkLegend() {
  return (
    <section className="legend" aria-labelledby="link-legend">
      <h2 id="link-legend">Links</h2>
      <ul>
        {LINK_KINDS.map((kind) => (
          <li key={kind.kind}>
            <svg width="44" height="12" aria-hidden="true" className="legend-line">
              <line
                x1="2"
                y1="6"
                x2="34"
                y2="6"
                stroke={kind.color}
                strokeWidth="2"
                strokeDasharray={kind.line === "dashed" ? "6 4" : kind.line === "dotted" ? "2 3" : undefined}
              />
              {kind.kind === "attacks" ? (
                <line x1="36" y1="1" x2="36" y2="11" stroke={kind.color} strokeWidth="3" />
              ) : (
                <polygon points="34,1 43,6 34,11" fill={kind.kind === "clarifies" ? "none" : kind.color} stroke={kind.color} />
              )}
            </svg>
            <span>{kind.label}</span>
          </li>
        ))}
        <li>
          <svg width="44" height="12" aria-hidden="true" className="legend-line">
            <line x1="2" y1="6" x2="42" y2="6" stroke="#d1d9e0" strokeWidth="1" />
          </svg>
          <span>replies to (comment)</span>
        </li>
      </ul>
    </section>
  );
}
