// How a resolve fixes the conflict's cause: nothing, merging two definitions from the evidence,
// or splitting the term into narrower terms that each take some of its definitions.
import { useDefinitions } from "../../api/resources";
import { Field } from "../threads/Field";
import type { EvidenceDefinition } from "./evidence";
import type { ResolutionChoice, SplitPart } from "./review";

type Props = {
  choice: ResolutionChoice;
  onChange: (choice: ResolutionChoice) => void;
  /** Definitions in the evidence: what may be merged. */
  evidence: EvidenceDefinition[];
  term: { id: number; name: string } | null;
};

export function ResolutionPicker({ choice, onChange, evidence, term }: Props) {
  const ofTerm = evidence.filter((d) => term !== null && d.term === term.id);

  function pick(type: ResolutionChoice["type"]) {
    if (type === "none") onChange({ type });
    if (type === "merge_definitions") onChange({ type, definitions: [] });
    if (type === "split_term") {
      // One part per sense of the term in the evidence, named after it, as a starting point.
      const parts = ofTerm.map((d) => ({
        name: `${term?.name ?? ""} (${d.label || `definition ${d.id}`})`,
        definitions: [d.id],
      }));
      onChange({ type, parts: parts.length ? parts : [{ name: "", definitions: [] }] });
    }
  }

  return (
    <div className="resolution">
      <Field label="Resolution" layout="inline-field">
        <select value={choice.type} onChange={(e) => pick(e.target.value as ResolutionChoice["type"])}>
          <option value="none">None</option>
          <option value="merge_definitions" disabled={evidence.length < 2}>
            Merge definitions
          </option>
          {term ? <option value="split_term">Split term</option> : null}
        </select>
      </Field>
      {choice.type === "merge_definitions" ? (
        <DefinitionChecks
          legend="Definitions to merge (pick two)"
          definitions={evidence}
          selected={choice.definitions}
          onChange={(definitions) => onChange({ ...choice, definitions })}
        />
      ) : null}
      {choice.type === "split_term" && term ? (
        <SplitParts
          term={term}
          parts={choice.parts}
          onChange={(parts) => onChange({ ...choice, parts })}
        />
      ) : null}
    </div>
  );
}

function definitionName(d: { id: number; label: string; text: string; termName?: string }): string {
  const label = d.label || d.text.slice(0, 80) || `Definition ${d.id}`;
  return d.termName ? `${label} (${d.termName})` : label;
}

function DefinitionChecks({
  legend,
  definitions,
  selected,
  onChange,
}: {
  legend: string;
  definitions: { id: number; label: string; text: string; termName?: string }[];
  selected: number[];
  onChange: (selected: number[]) => void;
}) {
  return (
    <fieldset className="checks">
      <legend>{legend}</legend>
      {definitions.map((d) => (
        <label key={d.id} className="check" title={d.text}>
          <input
            type="checkbox"
            checked={selected.includes(d.id)}
            onChange={(e) =>
              onChange(e.target.checked ? [...selected, d.id] : selected.filter((id) => id !== d.id))
            }
          />
          {definitionName(d)}
        </label>
      ))}
    </fieldset>
  );
}

function SplitParts({
  term,
  parts,
  onChange,
}: {
  term: { id: number; name: string };
  parts: SplitPart[];
  onChange: (parts: SplitPart[]) => void;
}) {
  const definitions = useDefinitions(term.id);
  const update = (index: number, part: SplitPart) =>
    onChange(parts.map((p, i) => (i === index ? part : p)));

  return (
    <div className="split-parts">
      <p className="hint">
        Each part becomes a new term that takes the chosen senses of “{term.name}” and their readings.
      </p>
      {definitions.error ? (
        <p role="alert" className="error">
          {definitions.error.message}
        </p>
      ) : null}
      {parts.map((part, index) => (
        <div key={index} className="split-part">
          <Field label={`Name of part ${index + 1}`}>
            <input value={part.name} onChange={(e) => update(index, { ...part, name: e.target.value })} />
          </Field>
          {definitions.data ? (
            <DefinitionChecks
              legend={`Senses for part ${index + 1}`}
              definitions={definitions.data}
              selected={part.definitions}
              onChange={(selected) => update(index, { ...part, definitions: selected })}
            />
          ) : (
            <p className="muted">Loading the senses of “{term.name}”…</p>
          )}
          {parts.length > 1 ? (
            <button type="button" onClick={() => onChange(parts.filter((_, i) => i !== index))}>
              Remove part {index + 1}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" onClick={() => onChange([...parts, { name: "", definitions: [] }])}>
        Add part
      </button>
    </div>
  );
}
