"""Units of detection: the smallest scopes a write can affect, as outbox keys.

A unit owns the conflicts it can find, so a run of a unit knows which of them went obsolete.

- thread-term:X:T       equivocation, ambiguous usage, contested sense readings of T in X
- thread-decompositions:X  decomposition mismatches and contested decomposition readings in X
- term-synonyms:T       synonym candidates between T and any other term of its workspace
Fan-out keys expand, when the job runs, into the units above:
- thread:X              every unit of thread X (after an import or a suggestion refresh)
- term:T                every unit in which term T is used (after its definitions changed)
- decomposition:D       the decomposition units of every thread reading D
"""

from dataclasses import dataclass

DETECT_TASK = "apps.conflicts.tasks.detect_conflicts_task"

THREAD_TERM = "thread-term"
THREAD_DECOMPOSITIONS = "thread-decompositions"
TERM_SYNONYMS = "term-synonyms"
THREAD = "thread"
TERM = "term"
DECOMPOSITION = "decomposition"


# Slots: a full rescan lists every unit of the corpus, hundreds of thousands of them.
@dataclass(frozen=True, order=True, slots=True)
class Unit:
    scope: str
    first: int
    second: int | None = None

    @property
    def key(self) -> str:
        parts = [self.scope, str(self.first)]
        if self.second is not None:
            parts.append(str(self.second))
        return ":".join(parts)

    @property
    def thread_id(self) -> int | None:
        """The thread this unit is about, if it is about one."""
        return self.first if self.scope in (THREAD_TERM, THREAD_DECOMPOSITIONS, THREAD) else None

    @classmethod
    def parse(cls, key: str) -> "Unit":
        scope, *ids = key.split(":")
        if scope not in (
            THREAD_TERM,
            THREAD_DECOMPOSITIONS,
            TERM_SYNONYMS,
            THREAD,
            TERM,
            DECOMPOSITION,
        ):
            raise ValueError(f"unknown detection scope in {key!r}")
        numbers = [int(i) for i in ids]
        return cls(scope, numbers[0], numbers[1] if len(numbers) > 1 else None)


def thread_term(thread_id: int, term_id: int) -> Unit:
    return Unit(THREAD_TERM, thread_id, term_id)


def thread_decompositions(thread_id: int) -> Unit:
    return Unit(THREAD_DECOMPOSITIONS, thread_id)


def term_synonyms(term_id: int) -> Unit:
    return Unit(TERM_SYNONYMS, term_id)


def whole_thread(thread_id: int) -> Unit:
    return Unit(THREAD, thread_id)


def whole_term(term_id: int) -> Unit:
    return Unit(TERM, term_id)


def decomposition(decomposition_id: int) -> Unit:
    return Unit(DECOMPOSITION, decomposition_id)
