// A conflict's evidence, side by side: the definitions, the quoted claims with their authors
// and vote tallies, and links to each claim in its thread. All of it is user text, shown as text.
import { Link } from "react-router-dom";
import { senseColor } from "../../lib/senseColor";
import { tally } from "../../lib/consensus";
import {
  type EvidenceClaim,
  type EvidenceColumn,
  type EvidenceDefinition,
  type EvidencePair,
  type EvidenceView,
  claimHref,
  claimsById,
} from "./evidence";

export function EvidencePanel({ view, thread }: { view: EvidenceView; thread: number | null }) {
  if (view.columns.length === 0) {
    return <p className="muted">No evidence to show for this kind of conflict.</p>;
  }
  return (
    <div className="evidence">
      <div className="evidence-columns">
        {view.columns.map((column, index) => (
          <Column key={index} column={column} thread={thread} />
        ))}
      </div>
      {view.pairs.length ? <Pairs pairs={view.pairs} /> : null}
      {view.replyChain.length ? <ReplyChain view={view} thread={thread} /> : null}
    </div>
  );
}

function Column({ column, thread }: { column: EvidenceColumn; thread: number | null }) {
  return (
    <section className="evidence-column">
      <h3>
        {column.term ? <Link to={`/terms/${column.term.id}`}>{column.heading}</Link> : column.heading}
      </h3>
      {column.definitions.map((definition) => (
        <DefinitionBox key={definition.id} definition={definition} />
      ))}
      {column.tally ? (
        <p className="tally">
          <span className="visually-hidden">Votes: </span>
          {tally(column.tally.up, column.tally.down)}
        </p>
      ) : null}
      {column.claims.map((claim) => (
        <ClaimQuote key={claim.claim} claim={claim} thread={thread} />
      ))}
      <NotQuoted count={(column.claimsTotal ?? 0) - column.claims.length} noun="claim" thread={thread} />
    </section>
  );
}

export function DefinitionBox({ definition }: { definition: EvidenceDefinition }) {
  return (
    <div className="definition" style={{ borderLeftColor: senseColor(definition.id) }}>
      <p className="definition-label">
        <span className="swatch" style={{ background: senseColor(definition.id) }} aria-hidden="true" />
        <span>
          <strong>{definition.label || `Definition ${definition.id}`}</strong>
          {definition.termName ? <span className="muted"> · {definition.termName}</span> : null}
        </span>
      </p>
      <p className="definition-text">{definition.text}</p>
    </div>
  );
}

function ClaimQuote({ claim, thread }: { claim: EvidenceClaim; thread: number | null }) {
  const href = claimHref(thread, claim.claim);
  return (
    <figure className="evidence-quote">
      <blockquote>{claim.quote}</blockquote>
      <figcaption>
        <span>— {claim.author || "unknown author"}</span>
        {claim.votesUp !== null && claim.votesDown !== null ? (
          <span className="tally">{tally(claim.votesUp, claim.votesDown)}</span>
        ) : null}
        {href ? <Link to={href}>Claim {claim.claim} in thread</Link> : null}
      </figcaption>
    </figure>
  );
}

function Pairs({ pairs }: { pairs: EvidencePair[] }) {
  return (
    <table className="pairs">
      <caption>Matching definitions</caption>
      <thead>
        <tr>
          <th scope="col">{pairs[0].definitions[0].termName || "First term"}</th>
          <th scope="col">{pairs[0].definitions[1].termName || "Second term"}</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map((pair) => (
          <tr key={pair.definitions.map((d) => d.id).join("-")}>
            <td>{pair.definitions[0].label || pair.definitions[0].text}</td>
            <td>{pair.definitions[1].label || pair.definitions[1].text}</td>
            <td>
              {pair.markedEquivalent
                ? "marked equivalent"
                : `similar text (${Math.round((pair.similarity ?? 0) * 100)}%)`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReplyChain({ view, thread }: { view: EvidenceView; thread: number | null }) {
  const claims = claimsById(view);
  const name = (id: number) => {
    const claim = claims.get(id);
    const href = claimHref(thread, id);
    const text = `claim ${id}${claim?.author ? ` (${claim.author})` : ""}`;
    return href ? <Link to={href}>{text}</Link> : text;
  };
  return (
    <div className="reply-chain">
      <h3>In one reply chain</h3>
      <ul>
        {view.replyChain.map(([a, b]) => (
          <li key={`${a}-${b}`}>
            {name(a)} and {name(b)}
          </li>
        ))}
      </ul>
      <NotQuoted count={view.replyChainTotal - view.replyChain.length} noun="pair" thread={thread} />
    </div>
  );
}

/** What a sampled evidence leaves out, with the thread where all of it is. */
function NotQuoted({ count, noun, thread }: { count: number; noun: string; thread: number | null }) {
  if (count <= 0) return null;
  const text = `${count.toLocaleString()} more ${noun}${count === 1 ? "" : "s"} not shown`;
  return (
    <p className="muted not-quoted">
      {thread === null ? text : <Link to={`/threads/${thread}`}>{text}: see the thread</Link>}
    </p>
  );
}
