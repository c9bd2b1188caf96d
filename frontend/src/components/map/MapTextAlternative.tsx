// The map as a list, for keyboards and screen readers: each comment's claims with a link into
// the thread, the sense each gives the chosen term, and the links between claims.
import { Link } from "react-router-dom";
import { tally } from "../../lib/consensus";
import { senseColor } from "../../lib/senseColor";
import { type MapClaimRow, type MapCommentRow, linkPhrase, truncate } from "./model";

type Props = { thread: number; rows: MapCommentRow[]; term: string | undefined };

export function MapTextAlternative({ thread, rows, term }: Props) {
  const quotes = new Map(rows.flatMap((r) => r.claims.map((c) => [c.id, c.quote] as const)));
  return (
    <section className="map-text" aria-labelledby="map-text-heading">
      <h2 id="map-text-heading">The map as a list</h2>
      <ol className="map-comments">
        {rows.map((row) => (
          <li key={row.id}>
            <h3>
              {row.author}
              {row.replyTo ? <span className="muted"> replying to {row.replyTo}</span> : null}
            </h3>
            <ul className="map-claims">
              {row.claims.map((claim) => (
                <ClaimRow key={claim.id} thread={thread} claim={claim} term={term} quotes={quotes} />
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ClaimRow({
  thread,
  claim,
  term,
  quotes,
}: {
  thread: number;
  claim: MapClaimRow;
  term: string | undefined;
  quotes: Map<number, string>;
}) {
  return (
    <li id={`map-claim-${claim.id}`} className="map-claim">
      <Link to={`/threads/${thread}?claim=${claim.id}`}>{claim.quote}</Link>
      {claim.orphaned ? <span className="badge"> orphaned</span> : null}
      {term ? (
        <p className="small">
          {claim.sense ? (
            <>
              <span className="swatch" style={{ background: senseColor(claim.sense.definition) }} aria-hidden="true" />
              Sense of “{term}”: <strong>{claim.sense.label || claim.sense.text}</strong>{" "}
              <span className="muted">
                ({claim.sense.state}, {tally(claim.sense.votesUp, claim.sense.votesDown)})
              </span>
            </>
          ) : (
            <span className="muted">No reading of “{term}”.</span>
          )}
        </p>
      ) : null}
      {claim.links.length ? (
        <ul className="map-links small">
          {claim.links.map((link) => (
            <li key={link.id}>
              {linkPhrase(link.kind, link.direction)}{" "}
              <a href={`#map-claim-${link.other}`}>“{truncate(quotes.get(link.other) ?? "", 80)}”</a>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
