// Adds a sense reading to a claim: which term it uses (existing terms and aliases suggested as
// you type, a new term offered when none matches) and which definition the term carries there
// (one of the term's definitions, or a new one written here and created first).
import { type FormEvent, useEffect, useId, useState } from "react";
import {
  type Definition,
  type Term,
  useCreateDefinition,
  useCreateReading,
  useCreateTerm,
  useDefinitions,
  useTermLookup,
  useTerms,
} from "../../api/resources";
import { senseStyle } from "../../lib/senseColor";
import { ErrorNote } from "./ErrorNote";

type Props = { claimId: number; initialTerm?: string };

/** Case, hyphens and spacing do not make a different name. */
function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[-_‐‑–]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function findTerm(terms: Term[], text: string): Term | undefined {
  const key = normalize(text);
  if (!key) return undefined;
  return terms.find(
    (term) =>
      term.normalized === key ||
      [term.name, ...term.aliases].some((name) => normalize(name) === key),
  );
}

function findDefinition(definitions: Definition[], text: string): Definition | undefined {
  const key = normalize(text);
  if (!key) return undefined;
  return definitions.find(
    (d) => normalize(d.text) === key || (d.label && normalize(d.label) === key),
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function AddReading({ claimId, initialTerm = "" }: Props) {
  const id = useId();
  const [termText, setTermText] = useState(initialTerm);
  const [definitionText, setDefinitionText] = useState("");
  const [label, setLabel] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);
  const typed = termText.trim();
  const query = useDebounced(typed, 150);
  const terms = useTerms(query);
  const lookup = useTermLookup();
  const createTerm = useCreateTerm();
  const createDefinition = useCreateDefinition();
  const createReading = useCreateReading();
  const results = terms.data?.results ?? [];
  const term = findTerm(results, typed);
  const definitions = useDefinitions(term?.id);
  const existing = findDefinition(definitions.data ?? [], definitionText);
  // Only say "no such term" once the suggestions are for what is typed now.
  const unknown = typed !== "" && !term && query === typed && !terms.isFetching;

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSaving(true);
    try {
      const chosen = term ?? findTerm((await lookup(typed)).results, typed);
      if (!chosen) {
        throw new Error(
          typed
            ? `“${typed}” is not a term yet: create it, or pick one from the suggestions.`
            : "Name the term this claim uses.",
        );
      }
      const text = definitionText.trim();
      if (!text) throw new Error("Choose one of the term's definitions, or write a new one.");
      const definition =
        existing ??
        (await createDefinition.mutateAsync({
          term: chosen.id,
          text,
          ...(label.trim() ? { label: label.trim() } : {}),
        }));
      await createReading.mutateAsync({
        claim: claimId,
        term: chosen.id,
        definition: definition.id,
      });
      setTermText("");
      setDefinitionText("");
      setLabel("");
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="add-reading stack-sm" onSubmit={save}>
      <div className="field">
        <label htmlFor={`${id}-term`}>Term</label>
        <input
          id={`${id}-term`}
          list={`${id}-terms`}
          autoComplete="off"
          value={termText}
          onChange={(e) => setTermText(e.target.value)}
        />
        <datalist id={`${id}-terms`}>
          {results.flatMap((t) => [
            <option key={`${t.id}`} value={t.name} />,
            ...t.aliases.map((alias) => (
              <option key={`${t.id}:${alias}`} value={alias}>
                {`${alias} (${t.name})`}
              </option>
            )),
          ])}
        </datalist>
        {term && normalize(term.name) !== normalize(typed) ? (
          <p className="hint">
            Another name for <strong>{term.name}</strong>
          </p>
        ) : null}
        {unknown ? (
          <div className="hint">
            <span>No term is named “{typed}”.</span>{" "}
            {results.slice(0, 3).map((t) => (
              <button key={t.id} type="button" className="link" onClick={() => setTermText(t.name)}>
                Use “{t.name}”
              </button>
            ))}{" "}
            <button
              type="button"
              onClick={() =>
                createTerm.mutate(
                  { name: typed },
                  { onSuccess: (created) => setTermText(created.name) },
                )
              }
              disabled={createTerm.isPending}
            >
              Create term “{typed}”
            </button>
            <ErrorNote error={createTerm.error} />
          </div>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-definition`}>Definition</label>
        <input
          id={`${id}-definition`}
          list={`${id}-definitions`}
          autoComplete="off"
          placeholder={term ? `Pick a sense of ${term.name}, or write one` : ""}
          value={definitionText}
          onChange={(e) => setDefinitionText(e.target.value)}
        />
        <datalist id={`${id}-definitions`}>
          {(definitions.data ?? []).map((d) => (
            <option key={d.id} value={d.text}>
              {d.label}
            </option>
          ))}
        </datalist>
        {existing ? (
          <p className="hint">
            <span className="sense-chip" style={senseStyle(existing.id)}>
              {existing.label || "unlabelled sense"}
            </span>{" "}
            an existing sense
          </p>
        ) : null}
      </div>
      {term && definitionText.trim() && !existing ? (
        <div className="field">
          <label htmlFor={`${id}-label`}>Short label (optional)</label>
          <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} />
          <p className="hint">A new sense of {term.name}.</p>
        </div>
      ) : null}
      <div>
        <button type="submit" className="primary" disabled={saving}>
          Save reading
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
