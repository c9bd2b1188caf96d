// One term: its definitions across all threads and how they are linked as equivalent, the
// decompositions that use them, the claims read with it, and its conflicts.
import { type FormEvent, useEffect, useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { ApiError } from "../api/client";
import {
  type Claim,
  type Decomposition,
  type Definition,
  type Term,
  useCreateDefinition,
  useDecompositions,
  useDefinition,
  useDefinitionHistory,
  useDefinitions,
  useTerm,
  useTermClaims,
} from "../api/resources";
import type { components } from "../api/schema";
import { useMe } from "../auth";
import { EditDefinition } from "../components/terms/EditDefinition";
import { consensus, tally } from "../lib/consensus";
import { senseColor } from "../lib/senseColor";
import { Field } from "../components/threads/Field";
import { plural } from "../lib/text";
import { NotFoundPage } from "./NotFoundPage";

type Me = components["schemas"]["Me"];

export function TermPage() {
  const id = Number(useParams().termId);
  if (!Number.isInteger(id) || id <= 0) return <NotFoundPage />;
  return <TermView key={id} id={id} />;
}

function TermView({ id }: { id: number }) {
  const term = useTerm(id);
  if (term.error instanceof ApiError && term.error.status === 404) return <NotFoundPage what="term" />;
  if (term.error) {
    return (
      <p role="alert" className="error">
        {term.error.message}
      </p>
    );
  }
  if (!term.data) return <p className="muted">Loading the term…</p>;
  return <TermDetail term={term.data} />;
}

function TermDetail({ term }: { term: Term }) {
  const definitions = useDefinitions(term.id);
  const me = useMe();
  useScrollToHash(definitions.isSuccess);

  return (
    <article className="screen term-page">
      <header className="term-header">
        <p className="breadcrumb">
          <Link to="/terms">Terms</Link> /
        </p>
        <h1>{term.name}</h1>
        {term.aliases.length ? (
          <p className="aliases-line">
            <span className="muted">Also written: </span>
            {term.aliases.map((alias) => (
              <span key={alias} className="chip">
                {alias}
              </span>
            ))}
          </p>
        ) : null}
        {term.description ? <p>{term.description}</p> : null}
        <nav className="term-links" aria-label="About this term">
          <Link to={`/conflicts?term=${term.id}`}>Conflicts about “{term.name}”</Link>
          <a href="#claims">Claims read with it</a>
        </nav>
      </header>

      <section>
        <h2>Definitions</h2>
        {definitions.error ? (
          <p role="alert" className="error">
            {definitions.error.message}
          </p>
        ) : null}
        {definitions.data ? (
          definitions.data.length ? (
            <ol className="definition-list">
              {definitions.data.map((definition) => (
                <DefinitionItem
                  key={definition.id}
                  definition={definition}
                  siblings={definitions.data}
                  canEdit={canEdit(me.data, definition)}
                />
              ))}
            </ol>
          ) : (
            <p className="empty">No definitions yet.</p>
          )
        ) : (
          <p className="muted">Loading definitions…</p>
        )}
        {me.data?.authenticated ? <AddDefinitionForm term={term} /> : null}
      </section>

      <Decompositions term={term} />
      <TermClaims term={term} />
    </article>
  );
}

/** Owners and admins edit a definition (the server has the last word, workspaces included). */
function canEdit(me: Me | undefined, definition: Definition): boolean {
  return Boolean(me?.authenticated && (me.is_admin || me.username === definition.created_by));
}

function DefinitionItem({
  definition,
  siblings,
  canEdit,
}: {
  definition: Definition;
  siblings: Definition[];
  canEdit: boolean;
}) {
  const color = senseColor(definition.id);
  const [editing, setEditing] = useState(false);
  const name = definition.label || `Definition ${definition.id}`;
  return (
    <li id={`definition-${definition.id}`} className="definition" style={{ borderLeftColor: color }}>
      <p className="definition-label">
        <span className="swatch" style={{ background: color }} aria-hidden="true" />
        <span>
          <strong>{name}</strong>
        </span>
      </p>
      {editing ? (
        <EditDefinition definition={definition} onDone={() => setEditing(false)} />
      ) : (
        <p className="definition-text">{definition.text}</p>
      )}
      <p className="muted small">
        Proposed by {definition.proposed_by || definition.created_by || "someone unnamed"}
        {definition.version > 1 ? ` · version ${definition.version}` : null}
      </p>
      {canEdit && !editing ? (
        <div className="button-row">
          <button type="button" onClick={() => setEditing(true)} aria-label={`Edit ${name}`}>
            Edit
          </button>
        </div>
      ) : null}
      {definition.version > 1 ? <DefinitionHistory definition={definition} /> : null}
      {definition.equivalent_to.length ? (
        <div className="equivalences">
          <span className="muted small">Equivalent to: </span>
          <ul>
            {definition.equivalent_to.map((other) => {
              const sibling = siblings.find((d) => d.id === other);
              return (
                <li key={other}>
                  {sibling ? (
                    <a href={`#definition-${other}`}>{sibling.label || `Definition ${other}`}</a>
                  ) : (
                    <ForeignDefinitionLink id={other} />
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </li>
  );
}

/** The earlier versions of an edited definition, read when opened. */
function DefinitionHistory({ definition }: { definition: Definition }) {
  const [open, setOpen] = useState(false);
  const history = useDefinitionHistory(definition.id, open);
  return (
    <details className="definition-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Earlier versions ({definition.version - 1})</summary>
      {history.error ? (
        <p role="alert" className="error">
          {history.error.message}
        </p>
      ) : null}
      {history.data ? (
        <ol>
          {history.data.map((revision) => (
            <li key={revision.version}>
              <p className="small">
                <strong>Version {revision.version}</strong>
                {revision.label ? ` (${revision.label})` : null}, replaced by{" "}
                {revision.edited_by || "someone unnamed"} on {new Date(revision.edited_at).toLocaleString()}
              </p>
              <p className="definition-text">{revision.text}</p>
            </li>
          ))}
        </ol>
      ) : open ? (
        <p className="muted">Loading the history…</p>
      ) : null}
    </details>
  );
}

/** An equivalent definition of another term, linked on that term's page. */
function ForeignDefinitionLink({ id }: { id: number }) {
  const definition = useDefinition(id);
  if (!definition.data) return <span className="muted">definition {id}</span>;
  const d = definition.data;
  return (
    <Link to={`/terms/${d.term}#definition-${d.id}`}>
      {d.label || `Definition ${d.id}`} ({d.term_name})
    </Link>
  );
}

function Decompositions({ term }: { term: Term }) {
  const decompositions = useDecompositions({ term: term.id });
  return (
    <section>
      <h2>Decompositions that use it</h2>
      {decompositions.error ? (
        <p role="alert" className="error">
          {decompositions.error.message}
        </p>
      ) : null}
      {decompositions.data ? (
        decompositions.data.length ? (
          <ul className="decomposition-list">
            {decompositions.data.map((d) => (
              <DecompositionItem key={d.id} decomposition={d} term={term} />
            ))}
          </ul>
        ) : (
          <p className="empty">No decomposition uses “{term.name}”.</p>
        )
      ) : (
        <p className="muted">Loading decompositions…</p>
      )}
    </section>
  );
}

function DecompositionItem({ decomposition, term }: { decomposition: Decomposition; term: Term }) {
  return (
    <li className="panel">
      <h3>{decomposition.name}</h3>
      {decomposition.description ? <p>{decomposition.description}</p> : null}
      <ul className="decomposition-definitions">
        {decomposition.definitions.map((d) => (
          <li key={d.id} className={d.term === term.id ? "this-term" : undefined}>
            {d.term === term.id ? (
              <a href={`#definition-${d.id}`}>
                <span className="swatch" style={{ background: senseColor(d.id) }} aria-hidden="true" />
                {d.term_name}: {d.label || d.text}
              </a>
            ) : (
              <Link to={`/terms/${d.term}#definition-${d.id}`}>
                {d.term_name}: {d.label || d.text}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}

function TermClaims({ term }: { term: Term }) {
  const claims = useTermClaims(term.id);
  return (
    <section>
      <h2 id="claims" tabIndex={-1}>
        Claims read with it
      </h2>
      {claims.error ? (
        <p role="alert" className="error">
          {claims.error.message}
        </p>
      ) : null}
      {claims.data ? (
        claims.data.results.length ? (
          <>
            <ul className="claim-list">
              {claims.data.results.map((claim) => (
                <ClaimItem key={claim.id} claim={claim} term={term} />
              ))}
            </ul>
            {claims.data.count > claims.data.results.length ? (
              <p className="muted">
                Showing {claims.data.results.length} of {plural(claims.data.count, "claim")}.
              </p>
            ) : null}
          </>
        ) : (
          <p className="empty">No claim has a reading of “{term.name}” yet.</p>
        )
      ) : (
        <p className="muted">Loading claims…</p>
      )}
    </section>
  );
}

function ClaimItem({ claim, term }: { claim: Claim; term: Term }) {
  const readings = claim.readings.filter((r) => r.kind === "sense" && r.term === term.id);
  return (
    <li className="claim-item">
      <blockquote>{claim.quote}</blockquote>
      <p className="small">
        <span>— {claim.author || "unknown author"}</span>{" "}
        <Link to={`/threads/${claim.thread}?claim=${claim.id}`}>Claim {claim.id} in thread</Link>
      </p>
      {readings.length ? (
        <ul className="term-claim-readings">
          {readings.map((reading) => (
            <li key={reading.id}>
              {reading.definition !== null ? (
                <span className="swatch" style={{ background: senseColor(reading.definition) }} aria-hidden="true" />
              ) : null}
              {reading.definition_label || reading.definition_text}{" "}
              <span className="muted">
                ({consensus(reading.votes_up, reading.votes_down)}, {tally(reading.votes_up, reading.votes_down)})
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function AddDefinitionForm({ term }: { term: Term }) {
  const create = useCreateDefinition();
  const [text, setText] = useState("");
  const [label, setLabel] = useState("");
  const [done, setDone] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone("");
    create.mutate(
      { term: term.id, text: text.trim(), label: label.trim() },
      {
        onSuccess: (definition) => {
          setText("");
          setLabel("");
          setDone(`Added “${definition.label || definition.text}”.`);
        },
      },
    );
  }

  return (
    <form className="panel stack add-form" onSubmit={submit}>
      <h3>Add a definition</h3>
      <Field label="Label">
        <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={120} />
      </Field>
      <Field label="Definition">
        <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} required maxLength={5000} />
      </Field>
      {create.error ? (
        <p role="alert" className="error">
          {create.error.message}
        </p>
      ) : null}
      <p role="status" className="muted">
        {done}
      </p>
      <div className="button-row">
        <button type="submit" className="primary" disabled={create.isPending}>
          Add definition
        </button>
      </div>
    </form>
  );
}

/** Scroll to #definition-N once the definitions are on the page (links from other terms). */
function useScrollToHash(ready: boolean) {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || !hash) return;
    document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView({ block: "center" });
  }, [ready, hash]);
}
