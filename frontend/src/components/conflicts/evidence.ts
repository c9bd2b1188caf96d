// A conflict's evidence, whatever its kind, as the columns the review queue shows side by side.
// The shapes come from apps/conflicts/rules/*.py; evidence is JSON the API does not type, so
// every field is read defensively and a missing one degrades to empty, never to a crash.

export type EvidenceClaim = {
  claim: number;
  comment: number | null;
  author: string;
  quote: string;
  reading: number | null;
  votesUp: number | null;
  votesDown: number | null;
  definition: number | null;
};

export type EvidenceDefinition = {
  id: number;
  term: number | null;
  termName: string;
  label: string;
  text: string;
};

export type EvidenceColumn = {
  heading: string;
  /** A term the column is about (synonym candidates), linked to its page. */
  term?: { id: number; name: string };
  definitions: EvidenceDefinition[];
  claims: EvidenceClaim[];
  /** How many claims the side has: evidence quotes a sample of a big one. */
  claimsTotal?: number;
  /** The votes on a disputed reading (contested reading). */
  tally?: { up: number; down: number };
};

export type EvidencePair = {
  definitions: [EvidenceDefinition, EvidenceDefinition];
  markedEquivalent: boolean;
  similarity: number | null;
};

export type EvidenceView = {
  columns: EvidenceColumn[];
  pairs: EvidencePair[];
  /** Pairs of claim ids where one is in the reply chain of the other. */
  replyChain: [number, number][];
  /** How many such pairs there are: evidence lists the first few. */
  replyChainTotal: number;
  /** Every definition in the evidence, once: what a reviewer may merge. */
  definitions: EvidenceDefinition[];
};

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function claimOf(value: unknown): EvidenceClaim | null {
  const c = obj(value);
  const id = num(c.claim);
  if (id === null) return null;
  return {
    claim: id,
    comment: num(c.comment),
    author: str(c.author),
    quote: str(c.quote),
    reading: num(c.reading),
    votesUp: num(c.votes_up),
    votesDown: num(c.votes_down),
    definition: num(c.definition),
  };
}

function definitionOf(value: unknown, term?: { id: number | null; name: string }): EvidenceDefinition | null {
  const d = obj(value);
  const id = num(d.id);
  if (id === null) return null;
  return {
    id,
    term: num(d.term) ?? term?.id ?? null,
    termName: str(d.term_name) || term?.name || "",
    label: str(d.label),
    text: str(d.text),
  };
}

function claims(value: unknown): EvidenceClaim[] {
  return arr(value).map(claimOf).filter((c): c is EvidenceClaim => c !== null);
}

/** A side's quoted claims and, when the evidence gives it, how many it has in all. */
function sampledClaims(side: Json): { claims: EvidenceClaim[]; claimsTotal?: number } {
  const quoted = claims(side.claims);
  const total = num(side.claims_total);
  return total === null ? { claims: quoted } : { claims: quoted, claimsTotal: total };
}

function definitions(value: unknown, term?: { id: number | null; name: string }): EvidenceDefinition[] {
  return arr(value)
    .map((d) => definitionOf(d, term))
    .filter((d): d is EvidenceDefinition => d !== null);
}

function termOf(value: unknown): { id: number; name: string } | null {
  const t = obj(value);
  const id = num(t.id);
  return id === null ? null : { id, name: str(t.name) };
}

function replyChain(value: unknown): [number, number][] {
  return arr(value)
    .map((pair) => arr(pair).map(num))
    .filter((pair): pair is [number, number] => pair.length === 2 && pair.every((id) => id !== null));
}

function unique(defs: EvidenceDefinition[]): EvidenceDefinition[] {
  const seen = new Set<number>();
  return defs.filter((d) => (seen.has(d.id) ? false : (seen.add(d.id), true)));
}

const SIDE = ["A", "B", "C", "D"];

function equivocation(e: Json): EvidenceView {
  const term = termOf(e.term);
  const columns = arr(e.senses).map((sense, index) => ({
    heading: `Sense ${SIDE[index] ?? index + 1}`,
    definitions: definitions(obj(sense).definitions, term ?? undefined),
    ...sampledClaims(obj(sense)),
  }));
  return view(columns, [], replyChain(e.reply_chain), num(e.reply_chain_total));
}

function decompositionMismatch(e: Json): EvidenceView {
  const shared = arr(e.shared_terms).map(obj);
  const columns = arr(e.decompositions).map((value, index) => {
    const d = obj(value);
    return {
      heading: str(d.name) || `Decomposition ${SIDE[index] ?? index + 1}`,
      definitions: shared
        .map((t) => definitionOf(arr(t.definitions)[index], { id: num(t.id), name: str(t.name) }))
        .filter((def): def is EvidenceDefinition => def !== null),
      ...sampledClaims(d),
    };
  });
  return view(columns, [], replyChain(e.reply_chain), num(e.reply_chain_total));
}

function contestedReading(e: Json): EvidenceView {
  const claim = claimOf(e.claim);
  const term = termOf(e.term);
  const decomposition = termOf(e.decomposition);
  const definition = definitionOf(e.definition, term ?? undefined);
  const up = num(e.votes_up) ?? claim?.votesUp ?? 0;
  const down = num(e.votes_down) ?? claim?.votesDown ?? 0;
  const disputed: EvidenceColumn = decomposition
    ? { heading: `Read as assuming “${decomposition.name}”`, definitions: [], claims: [], tally: { up, down } }
    : {
        heading: term ? `Read with this sense of “${term.name}”` : "Disputed reading",
        definitions: definition ? [definition] : [],
        claims: [],
        tally: { up, down },
      };
  return view([{ heading: "Claim", definitions: [], claims: claim ? [claim] : [] }, disputed], [], []);
}

function ambiguousUsage(e: Json): EvidenceView {
  const claim = claimOf(e.claim);
  const term = termOf(e.term);
  return view(
    [
      { heading: "Claim", definitions: [], claims: claim ? [claim] : [] },
      {
        heading: term ? `Senses of “${term.name}” in play` : "Senses in play",
        definitions: definitions(e.senses, term ?? undefined),
        claims: [],
      },
    ],
    [],
    [],
  );
}

function synonymCandidate(e: Json): EvidenceView {
  const terms = arr(e.terms)
    .map(termOf)
    .filter((t): t is { id: number; name: string } => t !== null);
  const pairs: EvidencePair[] = arr(e.pairs).flatMap((value) => {
    const p = obj(value);
    const defs = definitions(p.definitions);
    if (defs.length !== 2) return [];
    return [
      {
        definitions: [defs[0], defs[1]] as [EvidenceDefinition, EvidenceDefinition],
        markedEquivalent: p.marked_equivalent === true,
        similarity: num(p.similarity),
      },
    ];
  });
  const all = pairs.flatMap((p) => p.definitions);
  const columns = terms.map((term) => ({
    heading: term.name,
    term,
    definitions: unique(all.filter((d) => d.term === term.id)),
    claims: [],
  }));
  return { columns, pairs, replyChain: [], replyChainTotal: 0, definitions: unique(all) };
}

function view(
  columns: EvidenceColumn[],
  pairs: EvidencePair[],
  chain: [number, number][],
  chainTotal: number | null = null,
): EvidenceView {
  return {
    columns,
    pairs,
    replyChain: chain,
    replyChainTotal: Math.max(chainTotal ?? 0, chain.length),
    definitions: unique(columns.flatMap((c) => c.definitions)),
  };
}

/** The evidence of a conflict of any kind, as columns; an unknown kind has none. */
export function normaliseEvidence(kind: string, evidence: unknown): EvidenceView {
  const e = obj(evidence);
  switch (kind) {
    case "equivocation":
      return equivocation(e);
    case "decomposition_mismatch":
      return decompositionMismatch(e);
    case "contested_reading":
      return contestedReading(e);
    case "ambiguous_usage":
      return ambiguousUsage(e);
    case "synonym_candidate":
      return synonymCandidate(e);
    default:
      return view([], [], []);
  }
}

/** Every claim the evidence quotes, by id, to name the claims of the reply chain. */
export function claimsById(view: EvidenceView): Map<number, EvidenceClaim> {
  return new Map(view.columns.flatMap((c) => c.claims.map((claim) => [claim.claim, claim] as const)));
}

export function claimHref(thread: number | null, claim: number): string | null {
  return thread === null ? null : `/threads/${thread}?claim=${claim}`;
}
