"""What other apps call, inside their write transactions, to have conflicts re-detected.

Takes plain ids so the writing apps need not know the conflict models; the work itself runs in
a Celery job after commit (see apps/core/outbox.py for the guarantees)."""

from collections.abc import Iterable

from apps.conflicts import units
from apps.core.outbox import request_jobs


def request_detection(detection_units: Iterable[units.Unit]) -> None:
    detection_units = list(detection_units)
    request_jobs(
        units.DETECT_TASK,
        [unit.key for unit in detection_units],
        threads={unit.key: unit.thread_id for unit in detection_units if unit.thread_id},
    )


def sense_readings_changed(pairs: Iterable[tuple[int, int]]) -> None:
    """(thread id, term id) pairs whose sense readings, votes or claims changed."""
    request_detection(units.thread_term(thread, term) for thread, term in pairs)


def decomposition_readings_changed(thread_ids: Iterable[int]) -> None:
    request_detection(units.thread_decompositions(thread) for thread in thread_ids)


def terms_changed(term_ids: Iterable[int]) -> None:
    """A term's definitions, equivalences or variants changed: everywhere it is used."""
    request_detection(units.whole_term(term) for term in term_ids)


def decompositions_changed(decomposition_ids: Iterable[int]) -> None:
    request_detection(units.decomposition(d) for d in decomposition_ids)


def threads_changed(thread_ids: Iterable[int]) -> None:
    """Comments were re-imported or suggestions refreshed: the whole thread."""
    request_detection(units.whole_thread(thread) for thread in thread_ids)
