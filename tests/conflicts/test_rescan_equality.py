"""The full rescan equals the union of the incremental runs.

Random small annotation sets are written through the services, each write's jobs running as it
"commits" (eager Celery); then the rescan must find nothing to create or change, and a rescan
from an empty conflict table must find exactly the live conflicts the jobs left behind."""

import contextlib
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apps.annotations.models import Claim, Mention, Reading
from apps.annotations.services import (
    claim_create,
    claim_delete,
    reading_create,
    reading_delete,
    reading_vote,
)
from apps.annotations.suggestions import mention_reject
from apps.conflicts import detection, triggers
from apps.conflicts.detection import LIVE, DetectionResult
from apps.conflicts.models import Conflict
from apps.conflicts.services import TRANSITIONS, conflict_review
from apps.core.errors import ApplicationError
from apps.core.models import OutboxJob
from apps.forum.models import Comment
from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term
from apps.glossary.services import (
    decomposition_create,
    decomposition_delete,
    decomposition_update,
    definition_create,
    definition_delete,
    definition_update,
    definitions_mark_equivalent,
    definitions_unmark_equivalent,
    term_create,
    term_delete,
    term_update,
)
from apps.imports.services import thread_import
from tests.factories import (
    make_claim,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    public_workspace,
)

pytestmark = pytest.mark.django_db

TERMS = ("outer alignment", "inner alignment", "robustness")
# Near-identical pairs (0/1, 3/4) state one sense in other words: within a term they merge into
# one sense, across terms they are synonym candidates.
TEXTS = (
    "The reward ranks behaviour correctly on the training distribution.",
    "the reward ranks behavior correctly on the training distribution",
    "The reward would be right in the limit of infinite data.",
    "The learned policy pursues the objective the reward specifies.",
    "The learned policies pursue the objective the reward specifies!",
    "Capabilities carry over to inputs unlike the training data.",
)
# Every sentence names a term or two, so the term matcher finds mentions in claims.
SENTENCES = (
    "Outer alignment is settled on the training data.",
    "Inner alignment is whatever is left over.",
    "Robustness is a different failure.",
    "Outer alignment needs infinite data and robustness.",
    "By inner alignment I mean the learned objective.",
    "Nobody here agrees on outer alignment.",
)
AUTHORS = ("Ada Quill", "Bram Oster", "Chen Wirth", "Dee Park")


@pytest.fixture
def people(alice, bob, rita, django_user_model) -> list[Any]:
    """Four voters; rita, a reviewer, also marks definitions equivalent."""
    dave = django_user_model.objects.create_user(username="dave", password="pw-dave")
    return [alice, bob, rita, dave]


# Checking


def conflicts() -> dict[str, tuple[str, str, int, str]]:
    return {
        c.fingerprint: (c.kind, c.status, c.severity, c.evidence_hash)
        for c in Conflict.objects.all()
    }


def assert_rescan_agrees() -> None:
    """The rescan changes nothing the jobs left; from nothing, it finds their live conflicts,
    and of the reviewers' verdicts those whose evidence still stands, as it stood."""
    assert not OutboxJob.objects.exists()  # every requested job ran
    for conflict in Conflict.objects.all():  # a reopening asks its owner to look again
        assert Conflict.objects.filter(detection.owned_by(detection.owner(conflict))).contains(
            conflict
        )
    incremental = conflicts()
    assert detection.rescan() == DetectionResult()
    assert conflicts() == incremental

    def kept(statuses) -> dict[str, tuple[str, int, str]]:
        return {
            fp: (k, sev, h) for fp, (k, status, sev, h) in incremental.items() if status in statuses
        }

    live, verdicts = kept(LIVE), kept((Conflict.Status.DISMISSED, Conflict.Status.RESOLVED))
    with transaction.atomic():
        Conflict.objects.all().delete()
        detection.rescan()
        scratch = conflicts()
        transaction.set_rollback(True)
    assert {status for _, status, _, _ in scratch.values()} <= {Conflict.Status.OPEN}
    found = {fp: (k, sev, h) for fp, (k, _, sev, h) in scratch.items()}
    assert {fp: v for fp, v in found.items() if fp not in verdicts} == live
    assert {fp: v for fp, v in found.items() if fp in verdicts} == {
        fp: v for fp, v in verdicts.items() if fp in found
    }


# The world the writes act on


def thread_json(post_id: str, comments: list[tuple[int, list[int]]]) -> str:
    """ForumMagnum JSON: comments[0] is the post, each other one (parent index, sentences)."""

    def body(index: int, sentences: list[int]) -> dict:
        return {
            "user": {"displayName": AUTHORS[index % len(AUTHORS)]},
            "contents": {"markdown": " ".join(SENTENCES[s] for s in sentences)},
        }

    _, post_sentences = comments[0]
    return json.dumps(
        {
            "data": {
                "post": {
                    "result": {
                        "_id": post_id,
                        "title": f"What is outer alignment? ({post_id})",
                        "pageUrl": f"https://www.lesswrong.com/posts/{post_id}",
                        **body(0, post_sentences),
                    }
                },
                "comments": {
                    "results": [
                        {
                            "_id": f"{post_id}-c{index}",
                            "postId": post_id,
                            "parentCommentId": f"{post_id}-c{parent}" if parent else None,
                            **body(index, sentences),
                        }
                        for index, (parent, sentences) in enumerate(comments)
                        if index > 0
                    ]
                },
            }
        }
    )


@dataclass
class World:
    people: list[Any]
    threads: dict[str, list[tuple[int, list[int]]]] = field(default_factory=dict)
    names: int = 0

    @property
    def annotator(self) -> Any:
        return self.people[0]

    @property
    def reviewer(self) -> Any:
        return self.people[2]

    def person(self, index: int) -> Any:
        return self.people[index % len(self.people)]

    def import_thread(self, post_id: str) -> None:
        thread_import(
            user=self.annotator,
            content=thread_json(post_id, self.threads[post_id]),
            format="forummagnum",
        )


def pick(rows: list, index: int) -> Any:
    return rows[index % len(rows)] if rows else None


def everything(model) -> list:
    return list(model.objects.order_by("id"))


def sentence_spans(comment: Comment) -> list[tuple[int, int]]:
    spans = []
    for sentence in SENTENCES:
        start = comment.text.find(sentence)
        if start >= 0:
            spans.append((start, start + len(sentence)))
    return sorted(spans)


def subset(rows: list, mask: int) -> list:
    return [row for bit, row in enumerate(rows) if mask >> bit & 1]


# The writes: (name, a, b, c) with a, b, c choosing among the objects that exist at the time.


def do_claim(world: World, a: int, b: int, c: int) -> None:
    comment = pick(everything(Comment), a)
    start, end = pick(sentence_spans(comment), b) or (0, len(comment.text))
    claim_create(user=world.person(c), comment=comment, start=start, end=end)


def do_definition(world: World, a: int, b: int, c: int) -> None:
    source = pick(everything(Claim), c // 2) if c % 2 else None
    definition_create(
        user=world.annotator,
        term=pick(everything(Term), a),
        text=TEXTS[b % len(TEXTS)],
        label=f"sense {b % len(TEXTS)}",
        source_claim=source,
    )


def do_edit_definition(world: World, a: int, b: int, c: int) -> None:
    definition = pick(everything(Definition), a)
    if definition is not None:
        definition_update(
            definition=definition,
            user=world.annotator,
            version=definition.version,
            text=TEXTS[b % len(TEXTS)],
        )


def do_delete_definition(world: World, a: int, b: int, c: int) -> None:
    definition = pick(everything(Definition), a)
    if definition is not None:
        definition_delete(definition=definition)


def do_mark(world: World, a: int, b: int, c: int) -> None:
    definitions = everything(Definition)
    first, second = pick(definitions, a), pick(definitions, b)
    if first is not None and first.id != second.id:
        definitions_mark_equivalent(user=world.reviewer, definition=first, other=second)


def do_unmark(world: World, a: int, b: int, c: int) -> None:
    mark = pick(everything(DefinitionEquivalence), a)
    if mark is not None:
        definitions_unmark_equivalent(user=world.reviewer, definition=mark.first, other=mark.second)


def do_reading(world: World, a: int, b: int, c: int) -> None:
    claim, definition = pick(everything(Claim), a), pick(everything(Definition), b)
    if claim is not None and definition is not None:
        reading_create(user=world.person(c), claim=claim, definition=definition)


def do_vote(world: World, a: int, b: int, c: int) -> None:
    reading = pick(everything(Reading), a)
    if reading is not None:
        reading_vote(reading=reading, user=world.person(b), value=(1, -1, 0)[c % 3])


def do_review(world: World, a: int, b: int, c: int) -> None:
    """A reviewer's verdict, or a reopening: what the detector leaves alone and then picks up."""
    conflict = pick(
        list(Conflict.objects.exclude(status=Conflict.Status.OBSOLETE).order_by("id")), a
    )
    if conflict is not None:
        action = pick(
            [a for a, (sources, _) in TRANSITIONS.items() if conflict.status in sources], b
        )
        conflict_review(conflict=conflict, user=world.reviewer, action=action, note="reviewed")


def do_decomposition(world: World, a: int, b: int, c: int) -> None:
    world.names += 1
    decomposition_create(
        user=world.annotator,
        workspace=public_workspace(),
        name=f"split {world.names}",
        definitions=subset(everything(Definition), a + 1),
    )


def do_decomposition_reading(world: World, a: int, b: int, c: int) -> None:
    claim, decomposition = pick(everything(Claim), a), pick(everything(Decomposition), b)
    if claim is not None and decomposition is not None:
        reading_create(user=world.person(c), claim=claim, decomposition=decomposition)


def do_mention(world: World, a: int, b: int, c: int) -> None:
    """What the term matcher records (another job), with the detection it then asks for."""
    comment, terms = pick(everything(Comment), a), everything(Term)
    term = pick(terms, b)
    name = TERMS[terms.index(term)]  # terms are created in the order of TERMS
    start = comment.text.lower().find(name)
    if start < 0:
        return
    end = start + len(name)
    Mention.objects.get_or_create(
        comment=comment, term=term, start=start, end=end, defaults={"text": comment.text[start:end]}
    )
    triggers.threads_changed([comment.thread_id])


def do_reject_mention(world: World, a: int, b: int, c: int) -> None:
    mention = pick(list(Mention.objects.filter(status=Mention.Status.SUGGESTED).order_by("id")), a)
    if mention is not None:
        mention_reject(mention=mention, user=world.person(c))


def do_reimport(world: World, a: int, b: int, c: int) -> None:
    """The forum text of a comment changed: its claims move or are orphaned."""
    post_id = pick(sorted(world.threads), a)
    comments = world.threads[post_id]
    index = b % len(comments)
    parent, sentences = comments[index]
    comments[index] = (parent, [c % len(SENTENCES), *sentences[1:]])
    world.import_thread(post_id)


def do_delete_reading(world: World, a: int, b: int, c: int) -> None:
    reading = pick(everything(Reading), a)
    if reading is not None:
        reading_delete(reading=reading)


def do_delete_claim(world: World, a: int, b: int, c: int) -> None:
    claim = pick(everything(Claim), a)
    if claim is not None:
        claim_delete(claim=claim)


def do_edit_decomposition(world: World, a: int, b: int, c: int) -> None:
    decomposition = pick(everything(Decomposition), a)
    if decomposition is not None:
        world.names += 1
        decomposition_update(
            decomposition=decomposition,
            name=f"split {world.names}" if c % 2 else None,
            definitions=subset(everything(Definition), b + 1),
        )


def do_delete_decomposition(world: World, a: int, b: int, c: int) -> None:
    decomposition = pick(everything(Decomposition), a)
    if decomposition is not None:
        decomposition_delete(decomposition=decomposition)


def do_rename_term(world: World, a: int, b: int, c: int) -> None:
    term = pick(everything(Term), a)
    if term is not None:
        world.names += 1
        term_update(term=term, name=f"{term.name} {world.names}")


def do_delete_term(world: World, a: int, b: int, c: int) -> None:
    term = pick(everything(Term), a)
    if term is not None:
        term_delete(term=term)


WRITES: dict[str, Callable[[World, int, int, int], None]] = {
    "claim": do_claim,
    "definition": do_definition,
    "edit_definition": do_edit_definition,
    "delete_definition": do_delete_definition,
    "mark": do_mark,
    "unmark": do_unmark,
    "reading": do_reading,
    "vote": do_vote,
    "review": do_review,
    "decomposition": do_decomposition,
    "decomposition_reading": do_decomposition_reading,
    "mention": do_mention,
    "reject_mention": do_reject_mention,
    "reimport": do_reimport,
    "delete_reading": do_delete_reading,
    "delete_claim": do_delete_claim,
    "edit_decomposition": do_edit_decomposition,
    "delete_decomposition": do_delete_decomposition,
    "rename_term": do_rename_term,
    # Only among the deletes at the end: mentions are recorded by the terms' original names.
    "delete_term": do_delete_term,
}
DELETES = (
    "delete_reading",
    "delete_claim",
    "delete_definition",
    "delete_decomposition",
    "delete_term",
)

index = st.integers(0, 63)
# Votes, readings and claims are what most conflicts are made of: drawn more often.
WEIGHTED = [
    *(name for name in WRITES if name != "delete_term"),
    *("vote", "vote", "vote", "reading", "reading", "claim", "review"),
]


@st.composite
def scenarios(draw) -> dict:
    threads = {}
    for n in range(draw(st.integers(1, 2))):
        size = draw(st.integers(2, 4))
        threads[f"post{n}"] = [
            (
                draw(st.integers(0, i - 1)) if i else 0,
                draw(st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=2)),
            )
            for i in range(size)
        ]

    def writes(name: str | tuple[str, ...], most: int, least: int = 0) -> list[tuple]:
        names = st.sampled_from(name) if isinstance(name, tuple) else st.just(name)
        return draw(st.lists(st.tuples(names, index, index, index), min_size=least, max_size=most))

    return {
        "threads": threads,
        "terms": draw(st.integers(2, len(TERMS))),
        "phases": [
            writes("definition", 6, 2),
            writes("claim", 5, 2),
            writes("reading", 6, 1),
            writes("decomposition", 2),
            writes("decomposition_reading", 4),
            writes(tuple(WEIGHTED), 14),
        ],
        "deletes": writes(DELETES, 3, 1),
    }


def apply(world: World, writes: list[tuple], capture: Callable) -> None:
    for name, a, b, c in writes:
        # Each write commits on its own, and its jobs run as it does; a refused one (a
        # duplicate reading, say) writes nothing.
        with capture(execute=True), contextlib.suppress(ApplicationError):
            WRITES[name](world, a, b, c)


def build(world: World, scenario: dict, capture: Callable) -> None:
    with capture(execute=True):
        for name in TERMS[: scenario["terms"]]:
            term_create(user=world.annotator, workspace=public_workspace(), name=name)
    world.threads = copy.deepcopy(scenario["threads"])  # re-imports edit their texts
    for post_id in world.threads:
        with capture(execute=True):
            world.import_thread(post_id)
    for phase in scenario["phases"]:
        apply(world, phase, capture)


@settings(
    max_examples=20,
    deadline=None,
    database=None,  # nothing written into the source tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_rescan_equals_the_incremental_runs(
    scenario, people, django_capture_on_commit_callbacks
) -> None:
    with transaction.atomic():  # one example's data, rolled back before the next
        world = World(people)
        build(world, scenario, django_capture_on_commit_callbacks)
        assert_rescan_agrees()
        for kind, status in set(Conflict.objects.values_list("kind", "status")):
            event(f"{kind} {status}")  # shown by --hypothesis-show-statistics

        apply(world, scenario["deletes"], django_capture_on_commit_callbacks)
        assert_rescan_agrees()
        transaction.set_rollback(True)


# One thread with every kind of conflict, then deletes: each kind goes obsolete on the way.

TRAINING, INFINITE = TEXTS[0], TEXTS[2]
DEPLOYMENT = "The learned policy behaves well on the deployment distribution."
FOLLOWS = "The trained model pursues the objective the reward function specifies."


@dataclass
class Everything:
    thread: Any
    claims: list[Claim]
    infinite_reading: Reading
    follows: Definition


@pytest.fixture
def every_kind(people, django_capture_on_commit_callbacks) -> Everything:
    alice, bob, rita, dave = people
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread()  # a comment, its reply, and a reply to that
        outer, inner = make_term(alice, "outer alignment"), make_term(alice, "inner alignment")
        training = make_definition(alice, outer, TRAINING)
        infinite = make_definition(alice, outer, INFINITE)
        deployment = make_definition(alice, inner, DEPLOYMENT)
        follows = make_definition(alice, inner, FOLLOWS)
        robust = make_term(alice, "objective robustness")
        make_definition(alice, robust, FOLLOWS.replace("objective", "objectives"))
        claims = [make_claim(alice, comment) for comment in thread.comments.order_by("position")]
        # Equivocation: the comment and its reply read outer alignment differently.
        make_reading(alice, claims[0], training)
        infinite_reading = make_reading(bob, claims[1], infinite)
        # Contested reading: split votes on the reply's other reading.
        reading_vote(reading=make_reading(rita, claims[1], training), user=dave, value=-1)
        # Decomposition mismatch: both assume splits that define both terms differently.
        split = {
            name: decomposition_create(
                user=alice, workspace=public_workspace(), name=name, definitions=senses
            )
            for name, senses in [
                ("training", [training, deployment]),
                ("limit", [infinite, follows]),
            ]
        }
        reading_create(user=alice, claim=claims[0], decomposition=split["training"])
        reading_create(user=bob, claim=claims[1], decomposition=split["limit"])
        # Ambiguous usage: the last reply's claim uses inner alignment, with no reading.
    return Everything(thread, claims, infinite_reading, follows)


def kinds(status: str) -> set[str]:
    return set(Conflict.objects.filter(status=status).values_list("kind", flat=True))


def test_rescan_agrees_on_every_kind_and_after_deletes(
    every_kind, django_capture_on_commit_callbacks
):
    assert kinds(Conflict.Status.OPEN) == set(Conflict.Kind.values)
    assert_rescan_agrees()

    with django_capture_on_commit_callbacks(execute=True):
        reading_delete(reading=every_kind.infinite_reading)
    assert kinds(Conflict.Status.OBSOLETE) == {"equivocation"}
    assert_rescan_agrees()

    with django_capture_on_commit_callbacks(execute=True):
        claim_delete(claim=every_kind.claims[0])  # and its decomposition reading
    assert kinds(Conflict.Status.OBSOLETE) == {"equivocation", "decomposition_mismatch"}
    assert_rescan_agrees()

    with django_capture_on_commit_callbacks(execute=True):
        definition_delete(definition=every_kind.follows)  # inner alignment has one sense left
    assert kinds(Conflict.Status.OBSOLETE) == {
        "equivocation",
        "decomposition_mismatch",
        "synonym_candidate",
        "ambiguous_usage",
    }
    assert kinds(Conflict.Status.OPEN) == {"contested_reading"}
    assert_rescan_agrees()


# Writes that change conflicts but request no detection: the rescan disagrees after each.


def decomposition_read_in_a_claim(alice, capture, *defines: str):
    """A claim using outer alignment (two senses), assuming a decomposition that defines
    `defines` among "outer alignment" and "inner alignment"; returns it and their senses."""
    with capture(execute=True):
        thread = make_thread()
        outer, inner = make_term(alice, "outer alignment"), make_term(alice, "inner alignment")
        senses = {
            "outer alignment": make_definition(alice, outer, TRAINING),
            "inner alignment": make_definition(alice, inner, DEPLOYMENT),
        }
        make_definition(alice, outer, INFINITE)
        split = decomposition_create(
            user=alice,
            workspace=public_workspace(),
            name="split",
            definitions=[senses[name] for name in defines],
        )
        claim = make_claim(alice, thread.comments.order_by("position").first())
        reading_create(user=alice, claim=claim, decomposition=split)
    return split, senses


def test_changing_a_decompositions_senses_re_detects_the_claims_it_settles(
    alice, django_capture_on_commit_callbacks
):
    split, senses = decomposition_read_in_a_claim(
        alice, django_capture_on_commit_callbacks, "inner alignment"
    )
    assert kinds(Conflict.Status.OPEN) == {"ambiguous_usage"}  # of outer alignment

    with django_capture_on_commit_callbacks(execute=True):
        decomposition_update(decomposition=split, definitions=list(senses.values()))

    # The claim assumes a split that defines outer alignment now: its sense is settled.
    assert_rescan_agrees()  # fails: the rescan obsoletes the ambiguous usage the jobs kept


def test_deleting_a_decomposition_re_detects_the_claims_it_settled(
    alice, django_capture_on_commit_callbacks
):
    split, _ = decomposition_read_in_a_claim(
        alice, django_capture_on_commit_callbacks, "outer alignment", "inner alignment"
    )
    assert not Conflict.objects.exists()  # the claim's sense of outer alignment is settled
    assert_rescan_agrees()

    with django_capture_on_commit_callbacks(execute=True):
        decomposition_delete(decomposition=split)

    # Nothing says which sense of outer alignment the claim means any more.
    assert_rescan_agrees()  # fails: the rescan finds the ambiguous usage the jobs missed


def test_renaming_a_term_re_detects_its_synonym_candidates(
    alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inner, robust = make_term(alice, "inner alignment"), make_term(alice, "robustness")
        make_definition(alice, inner, FOLLOWS)
        make_definition(alice, robust, FOLLOWS.replace("objective", "objectives"))
    assert kinds(Conflict.Status.OPEN) == {"synonym_candidate"}

    with django_capture_on_commit_callbacks(execute=True):
        term_update(term=robust, name="objective robustness")

    assert_rescan_agrees()  # fails: the rescan updates the evidence ("robustness" is gone)


def test_renaming_a_decomposition_re_detects_its_conflicts(
    people, django_capture_on_commit_callbacks
):
    alice, bob = people[:2]
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread()
        term = make_term(alice, "outer alignment")
        split = decomposition_create(
            user=alice,
            workspace=public_workspace(),
            name="split",
            definitions=[make_definition(alice, term, TRAINING)],
        )
        claim = make_claim(alice, thread.comments.order_by("position").first())
        reading = reading_create(user=alice, claim=claim, decomposition=split)
        reading_vote(reading=reading, user=bob, value=-1)
    assert kinds(Conflict.Status.OPEN) == {"contested_reading"}

    with django_capture_on_commit_callbacks(execute=True):
        decomposition_update(decomposition=split, name="training-distribution split")

    assert_rescan_agrees()  # fails: the rescan updates the evidence


def test_deleting_a_term_keeps_the_mismatch_on_the_terms_left(
    people, django_capture_on_commit_callbacks
):
    alice, bob = people[:2]
    with django_capture_on_commit_callbacks(execute=True):
        thread = make_thread()
        outer, inner = make_term(alice, "outer alignment"), make_term(alice, "inner alignment")
        split = {
            name: decomposition_create(
                user=alice, workspace=public_workspace(), name=name, definitions=senses
            )
            for name, senses in [
                (
                    "training",
                    [
                        make_definition(alice, outer, TRAINING),
                        make_definition(alice, inner, DEPLOYMENT),
                    ],
                ),
                (
                    "limit",
                    [
                        make_definition(alice, outer, INFINITE),
                        make_definition(alice, inner, FOLLOWS),
                    ],
                ),
            ]
        }
        first, second, _ = thread.comments.order_by("position")
        reading_create(user=alice, claim=make_claim(alice, first), decomposition=split["training"])
        reading_create(user=bob, claim=make_claim(bob, second), decomposition=split["limit"])
    mismatch = Conflict.objects.get(kind=Conflict.Kind.DECOMPOSITION_MISMATCH)
    assert mismatch.term_id == outer.id

    with django_capture_on_commit_callbacks(execute=True):
        term_delete(term=outer)

    # The two splits still define inner alignment differently.
    assert Conflict.objects.filter(pk=mismatch.pk).exists()  # fails: deleted by the cascade
    assert_rescan_agrees()
