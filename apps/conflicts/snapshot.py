"""The data a detection unit looks at, loaded with a few set-based queries per thread.

Rules never query: they read these snapshots, so an incremental run of one unit and the full
rescan apply exactly the same judgement to exactly the same data."""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
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

    def in_chain(self, a: int, b: int) -> bool:
        """True when one comment is the other or replies to it, however indirectly."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)


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
        return [d for i, d in sorted(self.definitions.items()) if self.of(i) == sense]


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


def _definition_info(row: dict) -> DefinitionInfo:
    return DefinitionInfo(row["id"], row["term_id"], row["term__name"], row["text"], row["label"])


_DEFINITION_FIELDS = ("id", "term_id", "term__name", "text", "label")
_CLAIM_FIELDS = ("claim_id", "claim__comment_id", "claim__comment__author", "claim__quote")


def _claim_of(row: dict) -> ClaimInfo:
    return ClaimInfo(
        row["claim_id"],
        row["claim__comment_id"],
        row["claim__comment__author"],
        row["claim__quote"],
    )


def _equivalences(workspace_id: int) -> list[tuple[int, int]]:
    # Marks are few; all of a workspace's are loaded so chains through other terms count.
    return list(
        DefinitionEquivalence.objects.filter(first__term__workspace_id=workspace_id).values_list(
            "first_id", "second_id"
        )
    )


def reply_tree(thread_id: int) -> ReplyTree:
    return ReplyTree(
        dict(Comment.objects.filter(thread_id=thread_id).values_list("id", "parent_id"))
    )


def anchored_claims(thread_id: int) -> list[int]:
    """The thread's anchored claims, fetched first: filtering readings through a join to the
    thread lets the planner walk every reading of a kind or a hot term in the corpus (0.8 s
    a thread at 3M readings) instead of the thread's few."""
    return list(
        Claim.objects.filter(
            comment__thread_id=thread_id, anchor=Claim.Anchor.ANCHORED
        ).values_list("id", flat=True)
    )


def load_thread_terms(thread_id: int, term_ids: Iterable[int]) -> dict[int, ThreadTermSnapshot]:
    """Snapshots of several terms in one thread, from the same handful of queries."""
    thread = Thread.objects.filter(id=thread_id).values("id", "workspace_id").first()
    terms = dict(Term.objects.filter(id__in=list(term_ids)).values_list("id", "name"))
    if thread is None or not terms:
        return {}
    workspace_id = thread["workspace_id"]
    tree = reply_tree(thread_id)
    marked = _equivalences(workspace_id)
    anchored = Q(claim_id__in=anchored_claims(thread_id))

    definitions: dict[int, list[DefinitionInfo]] = defaultdict(list)
    settled: dict[int, set[int]] = defaultdict(set)
    for row in Definition.objects.filter(term_id__in=terms).values(
        *_DEFINITION_FIELDS, "source_claim_id"
    ):
        definitions[row["term_id"]].append(_definition_info(row))
        if row["source_claim_id"]:
            settled[row["term_id"]].add(row["source_claim_id"])

    readings: dict[int, list[ReadingInfo]] = defaultdict(list)
    for row in Reading.objects.filter(anchored, kind=Reading.Kind.SENSE, term_id__in=terms).values(
        "id", "term_id", "definition_id", "votes_up", "votes_down", *_CLAIM_FIELDS
    ):
        readings[row["term_id"]].append(
            ReadingInfo(
                row["id"],
                _claim_of(row),
                row["votes_up"],
                row["votes_down"],
                term_id=row["term_id"],
                definition_id=row["definition_id"],
            )
        )

    decomposition_claims: dict[int, set[int]] = defaultdict(set)
    for row in (
        Reading.objects.filter(
            anchored,
            kind=Reading.Kind.DECOMPOSITION,
            decomposition__definitions__term_id__in=terms,
        )
        .values("claim_id", "votes_up", "votes_down", "decomposition__definitions__term_id")
        .distinct()
    ):
        if consensus(row["votes_up"], row["votes_down"]) == Consensus.ACCEPTED:
            decomposition_claims[row["decomposition__definitions__term_id"]].add(row["claim_id"])

    mentions: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for term_id, comment_id, start, end in (
        Mention.objects.filter(comment__thread_id=thread_id, term_id__in=terms)
        .exclude(status=Mention.Status.REJECTED)
        .values_list("term_id", "comment_id", "start", "end")
    ):
        mentions[term_id].append((comment_id, start, end))
    claims_by_comment: dict[int, list[tuple[ClaimInfo, int, int]]] = defaultdict(list)
    mentioned_comments = {comment for found in mentions.values() for comment, _, _ in found}
    for row in Claim.objects.filter(
        comment_id__in=mentioned_comments, anchor=Claim.Anchor.ANCHORED
    ).values("id", "comment_id", "comment__author", "quote", "start", "end"):
        claim = ClaimInfo(row["id"], row["comment_id"], row["comment__author"], row["quote"])
        claims_by_comment[row["comment_id"]].append((claim, row["start"], row["end"]))

    snapshots = {}
    for term_id, name in terms.items():
        mentioned = {
            claim.id: claim
            for comment_id, start, end in mentions[term_id]
            for claim, claim_start, claim_end in claims_by_comment[comment_id]
            if claim_start <= start and end <= claim_end
        }
        snapshots[term_id] = ThreadTermSnapshot(
            thread_id=thread_id,
            workspace_id=workspace_id,
            term_id=term_id,
            term_name=name,
            tree=tree,
            readings=readings[term_id],
            senses=Senses(definitions[term_id], marked),
            mentioned=sorted(mentioned.values(), key=lambda c: c.id),
            settled=settled[term_id] | decomposition_claims[term_id],
        )
    return snapshots


def load_thread_decompositions(thread_id: int) -> ThreadDecompositionsSnapshot | None:
    thread = Thread.objects.filter(id=thread_id).values("id", "workspace_id").first()
    if thread is None:
        return None
    readings = [
        ReadingInfo(
            row["id"],
            _claim_of(row),
            row["votes_up"],
            row["votes_down"],
            decomposition_id=row["decomposition_id"],
        )
        for row in Reading.objects.filter(
            kind=Reading.Kind.DECOMPOSITION, claim_id__in=anchored_claims(thread_id)
        ).values("id", "decomposition_id", "votes_up", "votes_down", *_CLAIM_FIELDS)
    ]
    used = {r.decomposition_id for r in readings}
    names = dict(Decomposition.objects.filter(id__in=used).values_list("id", "name"))
    definitions: dict[int, list[DefinitionInfo]] = defaultdict(list)
    everything = {}
    for row in Definition.objects.filter(decompositions__in=used).values(
        *_DEFINITION_FIELDS, "decompositions"
    ):
        info = _definition_info(row)
        definitions[row["decompositions"]].append(info)
        everything[info.id] = info
    return ThreadDecompositionsSnapshot(
        thread_id=thread_id,
        workspace_id=thread["workspace_id"],
        tree=reply_tree(thread_id),
        readings=readings,
        names=names,
        definitions=definitions,
        senses=Senses(everything.values(), _equivalences(thread["workspace_id"])),
    )


def load_terms_synonyms(term_ids: Iterable[int]) -> dict[int, TermSynonymsSnapshot]:
    """Synonym snapshots of several terms; each workspace's definitions are loaded once."""
    terms = list(Term.objects.filter(id__in=list(term_ids)).values("id", "name", "workspace_id"))
    snapshots = {}
    for workspace_id in {t["workspace_id"] for t in terms}:
        everything = [
            _definition_info(row)
            for row in Definition.objects.filter(term__workspace_id=workspace_id).values(
                *_DEFINITION_FIELDS
            )
        ]
        shared = WorkspaceDefinitions(everything)
        by_term: dict[int, list[DefinitionInfo]] = defaultdict(list)
        for definition in everything:
            by_term[definition.term_id].append(definition)
        marked: dict[int, set[int]] = defaultdict(set)
        for a, b in _equivalences(workspace_id):
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
