// Editing a definition from the version the editor opened. If someone else saves first, the
// server refuses the edit (409) and the form shows their text instead of overwriting it.
import { type FormEvent, useState } from "react";
import { type Definition, useUpdateDefinition } from "../../api/resources";
import { Field } from "../threads/Field";
import { type DefinitionVersion, staleVersion } from "./staleEdit";

export function EditDefinition({ definition, onDone }: { definition: Definition; onDone: () => void }) {
  const update = useUpdateDefinition();
  // Fixed when editing starts: a refetch of the list must not move it, or saving would
  // silently overwrite whatever changed in between.
  const [base, setBase] = useState<DefinitionVersion>(() => ({
    version: definition.version,
    text: definition.text,
    label: definition.label,
  }));
  const [text, setText] = useState(definition.text);
  const [label, setLabel] = useState(definition.label);
  const current = staleVersion(update.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate(
      { id: definition.id, body: { text: text.trim(), label: label.trim(), version: base.version } },
      { onSuccess: onDone },
    );
  }

  /** Edit on from the version now stored: with its text, or keeping the draft. */
  function rebase(now: DefinitionVersion, keepDraft: boolean) {
    setBase(now);
    if (!keepDraft) {
      setText(now.text);
      setLabel(now.label);
    }
    update.reset();
  }

  return (
    <form className="panel stack" onSubmit={submit} aria-label="Edit the definition">
      <Field label="Label">
        <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={120} />
      </Field>
      <Field label="Definition">
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} required maxLength={5000} />
      </Field>
      {current ? (
        <div role="alert" className="error">
          <p>
            Someone else changed this definition while you were editing it; reload it to see their
            version (version {current.version}) before you save:
          </p>
          <blockquote>
            {current.label ? <strong>{current.label}: </strong> : null}
            {current.text}
          </blockquote>
          <div className="button-row">
            <button type="button" onClick={() => rebase(current, false)}>
              Reload their version
            </button>
            <button type="button" onClick={() => rebase(current, true)}>
              Keep my text
            </button>
          </div>
        </div>
      ) : update.error ? (
        <p role="alert" className="error">
          {update.error.message}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="primary" disabled={update.isPending || current !== null}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
