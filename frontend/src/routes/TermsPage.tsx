// The glossary: terms with their aliases, searched by name or alias (spelling-tolerant on the
// server), and a form for signed-in users to add a term.
import { type FormEvent, useEffect, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { type Term, useCreateTerm, useTerms } from "../api/resources";
import { useMe } from "../auth";
import { Field } from "../components/threads/Field";

const SEARCH_DELAY_MS = 250;

export function TermsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const [search, setSearch] = useState(q);
  const terms = useTerms(q);
  const me = useMe();

  useEffect(() => setSearch(q), [q]);
  useEffect(() => {
    if (search === q) return;
    const timer = window.setTimeout(() => setParams(search ? { q: search } : {}, { replace: true }), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, q, setParams]);

  return (
    <section className="screen">
      <div className="page-header">
        <h1>Terms</h1>
        {terms.data ? <span className="muted">{terms.data.count} in all</span> : null}
      </div>
      <input
        type="search"
        className="search"
        aria-label="Search terms"
        placeholder="Search terms and aliases"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {terms.error ? (
        <p role="alert" className="error">
          {terms.error.message}
        </p>
      ) : null}
      {terms.isPending ? <p className="muted">Loading terms…</p> : null}
      {terms.data ? (
        terms.data.results.length ? (
          <TermList terms={terms.data.results} />
        ) : (
          <p className="empty">{q ? `No term or alias matches “${q}”.` : "No terms yet."}</p>
        )
      ) : null}
      {terms.data && terms.data.count > terms.data.results.length ? (
        <p className="muted">
          Showing {terms.data.results.length} of {terms.data.count}; search to find the others.
        </p>
      ) : null}
      {me.data?.authenticated ? (
        <AddTermForm />
      ) : me.data ? (
        <p className="muted">
          <Link to="/login?next=/terms">Log in</Link> to add a term.
        </p>
      ) : null}
    </section>
  );
}

function TermList({ terms }: { terms: Term[] }) {
  return (
    <ul className="term-list">
      {terms.map((term) => (
        <li key={term.id}>
          <Link to={`/terms/${term.id}`} className="term-name">
            {term.name}
          </Link>
          {term.aliases.length ? (
            <ul className="aliases">
              {term.aliases.map((alias) => (
                <li key={alias} className="chip">
                  {alias}
                </li>
              ))}
            </ul>
          ) : null}
          {term.description ? <p className="muted term-description">{term.description}</p> : null}
        </li>
      ))}
    </ul>
  );
}

/** Aliases as typed: separated by commas or new lines, blanks and repeats dropped. */
export function parseAliases(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[,\n]/)
    .map((alias) => alias.trim())
    .filter((alias) => alias && !seen.has(alias.toLowerCase()) && seen.add(alias.toLowerCase()));
}

function AddTermForm() {
  const create = useCreateTerm();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [aliases, setAliases] = useState("");

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), aliases: parseAliases(aliases) },
      { onSuccess: (term) => navigate(`/terms/${term.id}`) },
    );
  }

  return (
    <form className="panel stack add-form" onSubmit={submit}>
      <h2>Add a term</h2>
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </Field>
      <Field
        label="Aliases"
        hint="Separated by commas. Case, hyphens, -ise/-ize and plurals are matched without listing them."
      >
        <input value={aliases} onChange={(e) => setAliases(e.target.value)} />
      </Field>
      {create.error ? (
        <p role="alert" className="error">
          {create.error.message}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="primary" disabled={create.isPending}>
          Add term
        </button>
      </div>
    </form>
  );
}
