// Records which decomposition a claim's argument assumes, as a decomposition reading.
import { type FormEvent, useId, useState } from "react";
import { useCreateReading, useDecompositions } from "../../api/resources";
import { senseStyle } from "../../lib/senseColor";
import { ErrorNote } from "./ErrorNote";

export function DecompositionPicker({ claimId }: { claimId: number }) {
  const id = useId();
  const decompositions = useDecompositions();
  const create = useCreateReading();
  const [choice, setChoice] = useState("");
  const chosen = decompositions.data?.find((d) => String(d.id) === choice);

  function save(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    create.mutate({ claim: claimId, decomposition: chosen.id }, { onSuccess: () => setChoice("") });
  }

  return (
    <form className="stack-sm" onSubmit={save}>
      <div className="field">
        <label htmlFor={id}>Decomposition</label>
        <select id={id} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">Choose one…</option>
          {(decompositions.data ?? []).map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        {chosen ? (
          <ul className="decomposition-parts">
            {chosen.definitions.map((d) => (
              <li key={d.id}>
                <strong>{d.term_name}</strong>{" "}
                <span className="sense-chip" style={senseStyle(d.id)}>
                  {d.label || d.text}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div>
        <button type="submit" disabled={!chosen || create.isPending}>
          Save decomposition
        </button>
      </div>
      <ErrorNote error={create.error} />
    </form>
  );
}
