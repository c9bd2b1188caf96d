// The thread's glossary: each term read in the thread, the senses it is read in, and which
// claims (by whom) read it so; then the decompositions the thread's arguments are read as
// assuming. Built from the thread's readings and claims.
import { Link } from "react-router-dom";
import type { Claim, Reading } from "../../api/resources";
import { consensus, tally } from "../../lib/consensus";
import { senseStyle } from "../../lib/senseColor";
import { excerpt } from "../../lib/text";

type Props = {
  readings: Reading[];
  claims: Claim[];
  selectedClaimId: number | null;
  onSelectClaim: (id: number) => void;
};

type Sense = {
  key: number;
  label: string;
  text: string;
  definition: number | null;
  readings: Reading[];
};
type Entry = { key: number; name: string; senses: Sense[] };

/** Readings grouped by `group` (in first-seen order), then by `sense` within each group. */
function collate(
  readings: Reading[],
  group: (r: Reading) => [number, string],
  sense: (r: Reading) => Omit<Sense, "readings">,
): Entry[] {
  const entries = new Map<number, { name: string; senses: Map<number, Sense> }>();
  for (const reading of readings) {
    const [key, name] = group(reading);
    const entry = entries.get(key) ?? { name, senses: new Map() };
    entries.set(key, entry);
    const s = sense(reading);
    const current = entry.senses.get(s.key) ?? { ...s, readings: [] };
    current.readings.push(reading);
    entry.senses.set(s.key, current);
  }
  return [...entries]
    .map(([key, e]) => ({ key, name: e.name, senses: [...e.senses.values()] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function Glossary({ readings, claims, selectedClaimId, onSelectClaim }: Props) {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const terms = collate(
    readings.filter((r) => r.kind === "sense" && r.term !== null && r.definition !== null),
    (r) => [r.term ?? 0, r.term_name ?? ""],
    (r) => ({
      key: r.definition ?? 0,
      label: r.definition_label ?? "",
      text: r.definition_text ?? "",
      definition: r.definition,
    }),
  );
  const decompositions = collate(
    readings.filter((r) => r.kind === "decomposition" && r.decomposition !== null),
    () => [0, ""],
    (r) => ({
      key: r.decomposition ?? 0,
      label: r.decomposition_name ?? "",
      text: "",
      definition: null,
    }),
  );

  const uses = (sense: Sense) => (
    <ul className="glossary-uses">
      {sense.readings.map((reading) => {
        const claim = byId.get(reading.claim);
        return (
          <li
            key={reading.id}
            className={`consensus-${consensus(reading.votes_up, reading.votes_down)}`}
          >
            <button
              type="button"
              className="link"
              aria-current={reading.claim === selectedClaimId ? "true" : undefined}
              onClick={() => onSelectClaim(reading.claim)}
            >
              <strong>{claim?.author ?? "?"}</strong>: “{excerpt(claim?.quote ?? "", 80)}”
            </button>{" "}
            <span className="muted small">{tally(reading.votes_up, reading.votes_down)}</span>
          </li>
        );
      })}
    </ul>
  );

  return (
    <section className="glossary panel" aria-labelledby="glossary-heading">
      <h2 id="glossary-heading">Glossary</h2>
      {terms.length === 0 ? (
        <p className="muted">No term has been read in this thread yet.</p>
      ) : null}
      {terms.map((term) => (
        <div key={term.key} className="glossary-term">
          <h3>
            <Link to={`/terms/${term.key}`}>{term.name}</Link>
            {term.senses.length > 1 ? (
              <span className="badge warn">{term.senses.length} senses</span>
            ) : null}
          </h3>
          <ul className="glossary-senses">
            {term.senses.map((sense) => (
              <li key={sense.key}>
                <span className="sense-chip" style={senseStyle(sense.definition)}>
                  {sense.label || "unlabelled sense"}
                </span>
                <p className="reading-text">{sense.text}</p>
                {uses(sense)}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {decompositions.length ? (
        <div className="glossary-term">
          <h3>Decompositions assumed</h3>
          <ul className="glossary-senses">
            {decompositions[0].senses.map((d) => (
              <li key={d.key}>
                <strong>{d.label}</strong>
                {uses(d)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
