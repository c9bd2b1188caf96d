// A claim's readings (sense and decomposition) with their tallies, consensus and the user's vote.
import { type Reading, useDeleteReading, useVote } from "../../api/resources";
import { consensus, tally } from "../../lib/consensus";
import { senseStyle } from "../../lib/senseColor";
import { ErrorNote } from "./ErrorNote";

type Props = {
  readings: Reading[];
  canWrite: boolean;
  canDelete: (owner: string | null) => boolean;
};

export function ReadingList({ readings, canWrite, canDelete }: Props) {
  if (!readings.length) return <p className="muted">No readings yet.</p>;
  return (
    <ul className="readings">
      {readings.map((reading) => (
        <ReadingItem
          key={reading.id}
          reading={reading}
          canWrite={canWrite}
          mayDelete={canDelete(reading.created_by)}
        />
      ))}
    </ul>
  );
}

/** Who made the reading: a person, or the service with how sure it is. */
function origin(reading: Reading): string {
  if (reading.origin !== "suggestion") return `by ${reading.created_by}`;
  const sure =
    reading.confidence === null ? "" : ` (${Math.round(reading.confidence * 100)}% sure)`;
  return `suggested by Sensemap${sure}`;
}

function ReadingItem(props: { reading: Reading; canWrite: boolean; mayDelete: boolean }) {
  const { reading, canWrite, mayDelete } = props;
  const vote = useVote();
  const remove = useDeleteReading();
  const state = consensus(reading.votes_up, reading.votes_down);
  // Pressing the vote you already cast withdraws it.
  const cast = (value: 1 | -1) =>
    vote.mutate({ reading: reading.id, value: reading.my_vote === value ? 0 : value });
  return (
    <li className="reading">
      {reading.kind === "sense" ? (
        <div>
          <span className="reading-term">{reading.term_name}</span>{" "}
          <span className="sense-chip" style={senseStyle(reading.definition)}>
            {reading.definition_label || "unlabelled sense"}
          </span>
          <p className="reading-text">{reading.definition_text}</p>
        </div>
      ) : (
        <div>
          <span className="muted">assumes the decomposition</span>{" "}
          <strong>{reading.decomposition_name}</strong>
        </div>
      )}
      <p className="reading-meta">
        <span className="tally">{tally(reading.votes_up, reading.votes_down)}</span>{" "}
        <span className={`consensus consensus-${state}`}>
          {state === "none" ? "no votes" : state}
        </span>
        <span className="muted"> · {origin(reading)}</span>
      </p>
      {canWrite ? (
        <div className="actions">
          <button
            type="button"
            aria-pressed={reading.my_vote === 1}
            onClick={() => cast(1)}
            disabled={vote.isPending}
          >
            Agree
          </button>
          <button
            type="button"
            aria-pressed={reading.my_vote === -1}
            onClick={() => cast(-1)}
            disabled={vote.isPending}
          >
            Disagree
          </button>
          {mayDelete ? (
            <button
              type="button"
              className="danger"
              onClick={() => remove.mutate(reading.id)}
              disabled={remove.isPending}
            >
              Delete reading
            </button>
          ) : null}
        </div>
      ) : null}
      <ErrorNote error={vote.error ?? remove.error} />
    </li>
  );
}
