// The claim's argument-map edges in and out, and a form to link it to another claim of the thread.
import { type FormEvent, useId, useState } from "react";
import { type Claim, type ClaimLink, useCreateLink, useDeleteLink } from "../../api/resources";
import { excerpt } from "../../lib/text";
import { ErrorNote } from "./ErrorNote";

type Kind = ClaimLink["kind"];
const KINDS: Kind[] = ["supports", "attacks", "restates", "clarifies"];
/** An edge read from its target's side. */
const PASSIVE: Record<Kind, string> = {
  supports: "supported by",
  attacks: "attacked by",
  restates: "restated by",
  clarifies: "clarified by",
};

type Props = {
  claim: Claim;
  claims: Claim[];
  links: ClaimLink[];
  canWrite: boolean;
  canDelete: (owner: string | null) => boolean;
  onSelectClaim: (id: number) => void;
};

export function ClaimLinks({ claim, claims, links, canWrite, canDelete, onSelectClaim }: Props) {
  const byId = new Map(claims.map((c) => [c.id, c]));
  const outgoing = links.filter((link) => link.source === claim.id);
  const incoming = links.filter((link) => link.target === claim.id);
  const name = (id: number) => {
    const other = byId.get(id);
    return other ? `${other.author}: “${excerpt(other.quote, 70)}”` : `claim ${id}`;
  };
  const row = (link: ClaimLink, other: number, outward: boolean) => (
    <li key={link.id} className="claim-link">
      <span className="link-kind">{outward ? link.kind : PASSIVE[link.kind]}</span>
      <button type="button" className="link" onClick={() => onSelectClaim(other)}>
        {name(other)}
      </button>
      {canWrite && canDelete(link.created_by) ? <RemoveLink id={link.id} /> : null}
    </li>
  );

  return (
    <div className="stack-sm">
      {outgoing.length || incoming.length ? (
        <ul className="claim-links">
          {outgoing.map((link) => row(link, link.target, true))}
          {incoming.map((link) => row(link, link.source, false))}
        </ul>
      ) : (
        <p className="muted">Not linked to other claims yet.</p>
      )}
      {canWrite ? <LinkForm claim={claim} claims={claims} name={name} /> : null}
    </div>
  );
}

function RemoveLink({ id }: { id: number }) {
  const remove = useDeleteLink();
  return (
    <>
      <button
        type="button"
        className="danger small"
        onClick={() => remove.mutate(id)}
        disabled={remove.isPending}
      >
        Remove
      </button>
      <ErrorNote error={remove.error} />
    </>
  );
}

function LinkForm(props: { claim: Claim; claims: Claim[]; name: (id: number) => string }) {
  const { claim, claims, name } = props;
  const id = useId();
  const create = useCreateLink();
  const [kind, setKind] = useState<Kind>("supports");
  const [target, setTarget] = useState("");
  const others = claims.filter((c) => c.id !== claim.id);

  function link(event: FormEvent) {
    event.preventDefault();
    if (!target) return;
    create.mutate(
      { source: claim.id, target: Number(target), kind },
      { onSuccess: () => setTarget("") },
    );
  }

  return (
    <form className="link-form stack-sm" onSubmit={link}>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => setKind(KINDS.find((k) => k === e.target.value) ?? "supports")}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-target`}>Other claim</label>
          <select id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">Choose a claim…</option>
            {others.map((c) => (
              <option key={c.id} value={c.id}>
                {name(c.id)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div>
        <button type="submit" disabled={!target || create.isPending}>
          Link
        </button>
      </div>
      <ErrorNote error={create.error} />
    </form>
  );
}
