// The argument map of one thread: claims grouped by comment, typed links between them, each
// claim coloured by the sense it gives the chosen term; with a legend and a list alternative.
import { useCallback, useMemo } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ApiError } from "../api/client";
import { useThread, useThreadClaims, useThreadLinks } from "../api/resources";
import { Field } from "../components/threads/Field";
import { MapCanvas } from "../components/map/MapCanvas";
import { LinkLegend, SenseLegend } from "../components/map/MapLegend";
import { MapTextAlternative } from "../components/map/MapTextAlternative";
import { type MapClaimRow, buildMapModel, defaultTerm, termsRead, truncate } from "../components/map/model";
import { NotFoundPage } from "./NotFoundPage";

export function MapPage() {
  const id = Number(useParams().threadId);
  if (!Number.isInteger(id) || id <= 0) return <NotFoundPage />;
  return <ThreadMap key={id} thread={id} />;
}

function ThreadMap({ thread }: { thread: number }) {
  const detail = useThread(thread);
  const claims = useThreadClaims(thread);
  const links = useThreadLinks(thread);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();

  const terms = useMemo(() => termsRead(claims.data ?? []), [claims.data]);
  const asked = Number(params.get("term"));
  const term = terms.some((t) => t.id === asked) ? asked : defaultTerm(terms);
  const termName = terms.find((t) => t.id === term)?.name;

  const model = useMemo(
    () =>
      buildMapModel({
        comments: detail.data?.comments ?? [],
        claims: claims.data ?? [],
        links: links.data ?? [],
        term,
      }),
    [detail.data, claims.data, links.data, term],
  );

  const authors = useMemo(
    () => new Map(model.rows.flatMap((row) => row.claims.map((c) => [c.id, row.author] as const))),
    [model.rows],
  );
  const describe = useCallback(
    (claim: MapClaimRow) =>
      `${authors.get(claim.id) ?? ""}: “${truncate(claim.quote, 100)}”. ` +
      (claim.sense ? `Sense: ${claim.sense.label || claim.sense.text}.` : "No sense recorded.") +
      " Press Enter to open it in the thread.",
    [authors],
  );
  const open = useCallback(
    (claim: number) => navigate(`/threads/${thread}?claim=${claim}`),
    [navigate, thread],
  );

  if (detail.error instanceof ApiError && detail.error.status === 404) return <NotFoundPage what="thread" />;
  const error = detail.error ?? claims.error ?? links.error;
  const title = detail.data?.title || `Thread ${thread}`;

  return (
    <section className="screen map-page">
      <div className="page-header">
        <div>
          <p className="breadcrumb">
            <Link to="/threads">Threads</Link> / <Link to={`/threads/${thread}`}>{title}</Link> /
          </p>
          <h1>Argument map</h1>
        </div>
        {terms.length ? (
          <Field label="Colour by term" layout="inline-field">
            <select
              value={term ?? ""}
              onChange={(e) => setParams({ term: e.target.value }, { replace: true })}
            >
              {terms.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="error">
          {error.message}
        </p>
      ) : null}
      {!detail.data || !claims.data || !links.data ? (
        <p className="muted">Loading the map…</p>
      ) : model.order.length === 0 ? (
        <p className="empty">
          No claims are marked in this thread yet. <Link to={`/threads/${thread}`}>Open the thread</Link> to
          mark some.
        </p>
      ) : (
        <>
          <div className="map-layout">
            <MapCanvas model={model} onOpen={open} describe={describe} />
            <aside className="map-legends" aria-label="Legend">
              <SenseLegend term={termName} senses={model.senses} unread={model.unread} />
              <LinkLegend />
            </aside>
          </div>
          <MapTextAlternative thread={thread} rows={model.rows} term={termName} />
        </>
      )}
    </section>
  );
}
