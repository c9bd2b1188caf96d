"""The data a detection unit looks at, loaded with a few set-based queries per group of threads.

Rules never query: they read these snapshots, so an incremental run of one unit and the full
rescan apply exactly the same judgement to exactly the same data."""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from apps.annotations.models import Claim, Mention, Reading
from apps.conflicts.policy import Consensus, comparable_text, consensus, near_identical_pairs
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term


@dataclass(frozen=True)
class ClaimInfo:
    id: int
    comment_id: int
    author: str
    quote: str


@dataclass(frozen=True)
class ReadingInfo:
    id: int
    claim: ClaimInfo
    votes_up: int
    votes_down: int
    term_id: int | None = None
    definition_id: int | None = None
    decomposition_id: int | None = None


@dataclass(frozen=True)
class DefinitionInfo:
    id: int
    term_id: int
    term_name: str
    text: str
    label: str


class ReplyTree:
    """Which comment replies, directly or through others, to which."""

    def __init__(self, parents: dict[int, int | None]) -> None:
        self.parents = parents
        # Rules ask about the same comments pair after pair: each chain is walked once.
        self._ancestors: dict[int, frozenset[int]] = {}

    def ancestors(self, comment_id: int) -> frozenset[int]:
        known = self._ancestors.get(comment_id)
        if known is not None:
            return known
        seen: set[int] = set()
        parent = self.parents.get(comment_id)
        while parent is not None and parent not in seen:
            seen.add(parent)
            parent = self.parents.get(parent)
        known = self._ancestors[comment_id] = frozenset(seen)
        return known

    def chain_pairs(
        self, first: "ChainSide", second: "ChainSide", limit: int, same_comment: bool = True
    ) -> tuple[list[tuple[int, int]], int]:
        """Pairs of claims (x, y), x from `first` and y from `second`, of different claims whose
        comments are in one reply chain (one comment is the other or replies to it, however
        indirectly; with `same_comment` False, they are different comments): the first
        `limit` of them in sorted order, and how many there are.

        Comments are paired through their ancestors, so the cost follows the readings and the
        depth of their chains, not the product of the two sides: a hot term read hundreds of
        times in a big thread made a rule compare every pair."""
        firsts, seconds = first.claims, second.claims
        # Each comment of the first side, with the comments of the second in its chain.
        linked: dict[int, list[int]] = defaultdict(list)
        for comment in seconds:
            if same_comment and comment in firsts:
                linked[comment].append(comment)
            for above in self.ancestors(comment) & first.comments:
                linked[above].append(comment)
        for comment in firsts:
            if below := self.ancestors(comment) & second.comments:
                linked[comment].extend(below)
        total = 0
        for comment, partners in linked.items():
            claims = firsts[comment]
            total += len(claims) * sum(len(seconds[p]) for p in partners)
            # A claim read on both sides, in its own comment, is not a pair with itself.
            if comment in seconds and comment in partners:
                total -= sum(seconds[comment].count(claim) for claim in claims)
        sample: list[tuple[int, int]] = []
        ordered = sorted((claim, comment) for comment in linked for claim in firsts[comment])
        index = 0
        while index < len(ordered) and len(sample) < limit:
            claim, comment = ordered[index]
            # A claim read twice on the first side has each of its pairs twice.
            repeats = 1
            while index + repeats < len(ordered) and ordered[index + repeats][0] == claim:
                repeats += 1
            index += repeats
            for other in sorted(c for p in linked[comment] for c in seconds[p]):
                if other != claim:
                    sample.extend([(claim, other)] * repeats)
        return sample[:limit], total


class ChainSide:
    """One side of `ReplyTree.chain_pairs`: claims by comment, from (comment, claim) pairs (a
    claim once per reading). Built once per side, as a rule pairs each side with several."""

    __slots__ = ("claims", "comments")

    def __init__(self, pairs: Iterable[tuple[int, int]]) -> None:
        self.claims: dict[int, list[int]] = defaultdict(list)
        for comment, claim in pairs:
            self.claims[comment].append(claim)
        # A frozenset, so intersecting it with a comment's ancestors walks the smaller.
        self.comments = frozenset(self.claims)


class Senses:
    """Definitions grouped into senses: equivalence marks and near-identical texts join
    definitions into one sense (see apps/conflicts/policy.py). Marks count transitively, also
    through definitions outside this group (d1 ≡ x ≡ d2 makes d1 and d2 one sense)."""

    def __init__(self, definitions: Iterable[DefinitionInfo], marked: Iterable[tuple[int, int]]):
        self.definitions = {d.id: d for d in definitions}
        self._parent: dict[int, int] = {d: d for d in self.definitions}
        for a, b in marked:
            self._union(a, b)
        ordered = sorted(self.definitions.values(), key=lambda d: d.id)
        for i, j in near_identical_pairs([d.text for d in ordered]):
            self._union(ordered[i].id, ordered[j].id)
        # A sense is named by its smallest definition of this group, whatever joined it.
        self._names: dict[int, int] = {}
        for definition_id in sorted(self.definitions):
            self._names.setdefault(self._root(definition_id), definition_id)
        # Senses are shared by every thread that reads their term: members are listed once.
        self._members: dict[int, list[DefinitionInfo]] = defaultdict(list)
        for definition_id, definition in sorted(self.definitions.items()):
            self._members[self.of(definition_id)].append(definition)
        # Every sense of the group, smallest first.
        self.names: list[int] = sorted(self._members)

    def _root(self, node: int) -> int:
        self._parent.setdefault(node, node)
        while self._parent[node] != node:
            self._parent[node] = self._parent[self._parent[node]]
            node = self._parent[node]
        return node

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._root(a), self._root(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def of(self, definition_id: int) -> int:
        """The sense of one of this group's definitions."""
        return self._names[self._root(definition_id)]

    def members(self, sense: int) -> list[DefinitionInfo]:
        return self._members.get(sense, [])


@dataclass
class ThreadTermSnapshot:
    thread_id: int
    workspace_id: int
    term_id: int
    term_name: str
    tree: ReplyTree
    readings: list[ReadingInfo]
    senses: Senses
    # Claims whose span holds a mention of the term.
    mentioned: list[ClaimInfo] = field(default_factory=list)
    # Claims that fix the term's sense otherwise: they state one of its definitions, or an
    # accepted decomposition reading of theirs defines it.
    settled: set[int] = field(default_factory=set)


@dataclass
class ThreadDecompositionsSnapshot:
    thread_id: int
    workspace_id: int
    tree: ReplyTree
    readings: list[ReadingInfo]
    names: dict[int, str]
    definitions: dict[int, list[DefinitionInfo]]
    senses: Senses
    term_id: None = None


@dataclass
class ThreadsSnapshot:
    """What the thread units of a group of threads look at, keyed by unit."""

    terms: dict[tuple[int, int], ThreadTermSnapshot] = field(default_factory=dict)
    decompositions: dict[int, ThreadDecompositionsSnapshot] = field(default_factory=dict)


class WorkspaceDefinitions:
    """Every definition of a workspace with its comparable text, sorted by that text's length,
    shared by the synonym snapshots of the workspace's terms: loaded and normalised once per
    batch of terms, not once per term."""

    def __init__(self, definitions: Iterable[DefinitionInfo]) -> None:
        keyed = sorted(
            ((comparable_text(d.text), d) for d in definitions), key=lambda p: (len(p[0]), p[1].id)
        )
        self.texts = [text for text, _ in keyed]
        self.definitions = [d for _, d in keyed]
        self.lengths = [len(text) for text in self.texts]
        self.position = {d.id: index for index, d in enumerate(self.definitions)}

    def of_length(self, low: float, high: float) -> tuple[int, int]:
        """The index range of texts whose length is within [low, high]."""
        return bisect_left(self.lengths, low), bisect_right(self.lengths, high)


@dataclass
class TermSynonymsSnapshot:
    workspace_id: int
    term_id: int
    term_name: str
    own: list[DefinitionInfo]
    workspace: WorkspaceDefinitions
    # Marked equivalences of each of the term's definitions: definition id -> the other ids.
    marked: dict[int, set[int]]


@dataclass
class WorkspaceSynonymsSnapshot:
    """Every definition of a workspace, for the full rescan's one pass over all its pairs."""

    workspace_id: int
    workspace: WorkspaceDefinitions
    marked: list[tuple[int, int]]


@dataclass(frozen=True)
class TermInfo:
    name: str
    workspace_id: int
    senses: Senses
    # Claims that state one of the term's definitions.
    sources: frozenset[int]


@dataclass(frozen=True)
class DecompositionInfo:
    name: str
    definitions: list[DefinitionInfo]


class Glossary:
    """Terms, decompositions and equivalence marks as detection sees them, each loaded (and a
    term's senses grouped) once per run: a full rescan's threads read the same terms again and
    again. A run is short; a glossary edit during one is picked up by its own detection job."""

    def __init__(self) -> None:
        self._terms: dict[int, TermInfo | None] = {}
        self._decompositions: dict[int, DecompositionInfo | None] = {}
        self._marks: dict[int, list[tuple[int, int]]] = {}
        self._decomposition_senses: dict[frozenset[int], Senses] = {}

    def marks(self, workspace_id: int) -> list[tuple[int, int]]:
        if workspace_id not in self._marks:
            # Marks are few; all of a workspace's count, so chains through other terms join.
            self._marks[workspace_id] = list(
                DefinitionEquivalence.objects.filter(
                    first__term__workspace_id=workspace_id
                ).values_list("first_id", "second_id")
            )
        return self._marks[workspace_id]

    def terms(self, term_ids: Iterable[int]) -> dict[int, TermInfo]:
        """The terms that still exist among these."""
        wanted = set(term_ids)
        if missing := wanted - self._terms.keys():
            self._terms |= dict.fromkeys(missing)
            definitions: dict[int, list[DefinitionInfo]] = defaultdict(list)
            sources: dict[int, set[int]] = defaultdict(set)
            for row in Definition.objects.filter(term_id__in=missing).values(
                *_DEFINITION_FIELDS, "source_claim_id"
            ):
                definitions[row["term_id"]].append(_definition_info(row))
                if row["source_claim_id"]:
                    sources[row["term_id"]].add(row["source_claim_id"])
            for term_id, name, workspace_id in Term.objects.filter(id__in=missing).values_list(
                "id", "name", "workspace_id"
            ):
                self._terms[term_id] = TermInfo(
                    name,
                    workspace_id,
                    Senses(definitions[term_id], self.marks(workspace_id)),
                    frozenset(sources[term_id]),
                )
        return {t: self._terms[t] for t in wanted if self._terms[t] is not None}

    def decompositions(self, decomposition_ids: Iterable[int]) -> dict[int, DecompositionInfo]:
        """The decompositions that still exist among these, with their definitions."""
        wanted = set(decomposition_ids)
        if missing := wanted - self._decompositions.keys():
            self._decompositions |= dict.fromkeys(missing)
            definitions: dict[int, list[DefinitionInfo]] = defaultdict(list)
            for row in Definition.objects.filter(decompositions__in=missing).values(
                *_DEFINITION_FIELDS, "decompositions"
            ):
                definitions[row["decompositions"]].append(_definition_info(row))
            for decomposition_id, name in Decomposition.objects.filter(id__in=missing).values_list(
                "id", "name"
            ):
                self._decompositions[decomposition_id] = DecompositionInfo(
                    name, definitions[decomposition_id]
                )
        return {d: self._decompositions[d] for d in wanted if self._decompositions[d] is not None}

    def decomposition_senses(self, workspace_id: int, used: Iterable[int]) -> Senses:
        """The senses of the definitions of the decompositions a thread reads: grouped among
        those only, as near-identical texts join a group transitively."""
        key = frozenset(used)
        if key not in self._decomposition_senses:
            everything = {
                d.id: d for info in self.decompositions(key).values() for d in info.definitions
            }
            self._decomposition_senses[key] = Senses(everything.values(), self.marks(workspace_id))
        return self._decomposition_senses[key]


def _definition_info(row: dict) -> DefinitionInfo:
    return DefinitionInfo(row["id"], row["term_id"], row["term__name"], row["text"], row["label"])


_DEFINITION_FIELDS = ("id", "term_id", "term__name", "text", "label")


def load_threads(
    thread_ids: Collection[int],
    glossary: Glossary,
    term_ids: Collection[int] | None = None,
    decompositions: bool = True,
) -> ThreadsSnapshot:
    """Snapshots of the thread units of several threads, from the same handful of queries
    however many threads and terms there are: of `term_ids` (every term the threads read or
    mention if None) and, with `decompositions`, of the threads' decomposition readings.

    A (thread, term) without a sense reading or a mention in a claim gets no snapshot: no rule
    can find anything there."""
    loaded = ThreadsSnapshot()
    workspaces = dict(Thread.objects.filter(id__in=thread_ids).values_list("id", "workspace_id"))
    if not workspaces:
        return loaded
    # Rows are read by the ids in hand (an index lookup each), not through joins to the
    # threads: the planner read those as scans of every claim and every reading of a kind or
    # a hot term in the corpus, a quarter of a second a chunk and a second of CPU.
    comments = list(
        Comment.objects.filter(thread_id__in=workspaces).values_list(
            "id", "parent_id", "thread_id", "author"
        )
    )
    anchored = Claim.objects.filter(
        comment_id__any=[comment for comment, *_ in comments], anchor=Claim.Anchor.ANCHORED
    ).values_list("id", "comment_id", "start", "end", "quote")
    by_comment: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    quotes: dict[int, tuple[int, str]] = {}
    for claim_id, comment_id, start, end, quote in anchored:
        by_comment[comment_id].append((claim_id, start, end))
        quotes[claim_id] = (comment_id, quote)
    sense = Q(kind=Reading.Kind.SENSE)
    mentions_wanted = ~Q(status=Mention.Status.REJECTED)
    if term_ids is not None:
        sense &= Q(term_id__in=term_ids)
        mentions_wanted &= Q(term_id__in=term_ids)
    rows = list(
        Reading.objects.filter(sense | Q(kind=Reading.Kind.DECOMPOSITION), claim_id__any=quotes)
        .order_by("claim_id", "id")
        .values_list(
            "id",
            "claim_id",
            "term_id",
            "definition_id",
            "decomposition_id",
            "votes_up",
            "votes_down",
        )
    )
    # A claim's span holds a mention when the mention lies within it, in the same comment.
    mentions: set[tuple[int, int]] = set()
    for comment_id, start, end, term_id in Mention.objects.filter(
        mentions_wanted, comment_id__any=by_comment
    ).values_list("comment_id", "start", "end", "term_id"):
        for claim_id, claim_start, claim_end in by_comment[comment_id]:
            if claim_start <= start and end <= claim_end:
                mentions.add((claim_id, term_id))

    comment_info = {comment: (thread, author) for comment, _, thread, author in comments}
    claims: dict[int, ClaimInfo] = {}
    thread_of: dict[int, int] = {}
    for claim_id in {row[1] for row in rows} | {claim for claim, _ in mentions}:
        comment_id, quote = quotes[claim_id]
        thread_of[claim_id], author = comment_info[comment_id]
        claims[claim_id] = ClaimInfo(claim_id, comment_id, author, quote)

    readings: dict[tuple[int, int], list[ReadingInfo]] = defaultdict(list)
    decomposition_readings: dict[int, list[ReadingInfo]] = defaultdict(list)
    for reading_id, claim_id, term_id, definition_id, decomposition_id, up, down in rows:
        claim = claims[claim_id]
        if term_id is not None:
            readings[thread_of[claim_id], term_id].append(
                ReadingInfo(reading_id, claim, up, down, term_id, definition_id)
            )
        else:
            decomposition_readings[thread_of[claim_id]].append(
                ReadingInfo(reading_id, claim, up, down, decomposition_id=decomposition_id)
            )
    mentioned: dict[tuple[int, int], list[ClaimInfo]] = defaultdict(list)
    for claim_id, term_id in sorted(mentions):
        mentioned[thread_of[claim_id], term_id].append(claims[claim_id])

    terms = glossary.terms({term for _, term in readings.keys() | mentioned.keys()})
    used = {r.decomposition_id for found in decomposition_readings.values() for r in found}
    defined = glossary.decompositions(used)
    # An accepted decomposition reading settles its claim's sense of every term it defines.
    settled: dict[tuple[int, int], set[int]] = defaultdict(set)
    for thread_id, found in decomposition_readings.items():
        for reading in found:
            if reading.decomposition_id in defined and (
                consensus(reading.votes_up, reading.votes_down) == Consensus.ACCEPTED
            ):
                for definition in defined[reading.decomposition_id].definitions:
                    settled[thread_id, definition.term_id].add(reading.claim.id)

    keys = [key for key in readings.keys() | mentioned.keys() if key[1] in terms]
    with_decompositions = list(decomposition_readings) if decompositions else []
    # One tree for all the threads: comment ids are unique and chains stay in their thread.
    tree = ReplyTree({comment: parent for comment, parent, *_ in comments})
    for thread_id, term_id in keys:
        term = terms[term_id]
        loaded.terms[thread_id, term_id] = ThreadTermSnapshot(
            thread_id=thread_id,
            workspace_id=workspaces[thread_id],
            term_id=term_id,
            term_name=term.name,
            tree=tree,
            readings=readings.get((thread_id, term_id), []),
            senses=term.senses,
            mentioned=mentioned.get((thread_id, term_id), []),
            settled=term.sources | settled.get((thread_id, term_id), set()),
        )
    for thread_id in with_decompositions:
        found = decomposition_readings[thread_id]
        used_here = {r.decomposition_id for r in found} & defined.keys()
        loaded.decompositions[thread_id] = ThreadDecompositionsSnapshot(
            thread_id=thread_id,
            workspace_id=workspaces[thread_id],
            tree=tree,
            readings=found,
            names={d: defined[d].name for d in used_here},
            definitions={d: defined[d].definitions for d in used_here},
            senses=glossary.decomposition_senses(workspaces[thread_id], used_here),
        )
    return loaded


def load_terms_synonyms(term_ids: Iterable[int]) -> dict[int, TermSynonymsSnapshot]:
    """Synonym snapshots of several terms; each workspace's definitions are loaded once."""
    terms = list(Term.objects.filter(id__in=list(term_ids)).values("id", "name", "workspace_id"))
    snapshots = {}
    for workspace_id in {t["workspace_id"] for t in terms}:
        everything = _workspace_definitions(workspace_id)
        shared = WorkspaceDefinitions(everything)
        by_term: dict[int, list[DefinitionInfo]] = defaultdict(list)
        for definition in everything:
            by_term[definition.term_id].append(definition)
        marked: dict[int, set[int]] = defaultdict(set)
        for a, b in Glossary().marks(workspace_id):
            marked[a].add(b)
            marked[b].add(a)
        for term in terms:
            if term["workspace_id"] != workspace_id:
                continue
            own = by_term[term["id"]]
            snapshots[term["id"]] = TermSynonymsSnapshot(
                workspace_id=workspace_id,
                term_id=term["id"],
                term_name=term["name"],
                own=own,
                workspace=shared,
                marked={d.id: marked[d.id] for d in own if d.id in marked},
            )
    return snapshots


def load_workspace_synonyms(workspace_id: int) -> WorkspaceSynonymsSnapshot:
    return WorkspaceSynonymsSnapshot(
        workspace_id,
        WorkspaceDefinitions(_workspace_definitions(workspace_id)),
        Glossary().marks(workspace_id),
    )


def _workspace_definitions(workspace_id: int) -> list[DefinitionInfo]:
    return [
        _definition_info(row)
        for row in Definition.objects.filter(term__workspace_id=workspace_id).values(
            *_DEFINITION_FIELDS
        )
    ]
