"""Run work in OS threads released together, each on its own database connection."""

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from tests.celery_worker import services_required

JOIN_TIMEOUT_S = 300.0


def require_postgresql() -> None:
    """Skip on SQLite, which serialises writers on one file lock so nothing ever overlaps; under
    SENSEMAP_REQUIRE_SERVICES=1 (CI) that is a failure, not a skip."""
    if connection.vendor == "postgresql":
        return
    reason = (
        "needs PostgreSQL: SQLite serialises writers on one file lock, so concurrent requests "
        "never overlap (set DATABASE_URL=postgres://…)"
    )
    if services_required():
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Race:
    results: list[Any]
    # (start, end) of each thread's work, on the monotonic clock.
    spans: list[tuple[float, float]]

    @property
    def overlapped(self) -> bool:
        """Every thread had started before the first one finished."""
        return max(start for start, _ in self.spans) < min(end for _, end in self.spans)


def race(work: Sequence[Callable[[], Any]]) -> Race:
    """Run each callable in its own thread, all released by one barrier once connected.

    Django's connections are per thread: each thread opens its own and closes it at the end.
    An exception in any thread fails the race with that exception."""
    barrier = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)
    spans: list[tuple[float, float]] = [(0.0, 0.0)] * len(work)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connected before the barrier, so they truly race
            barrier.wait(timeout=30)
            started = time.monotonic()
            results[index] = job()
            spans[index] = (started, time.monotonic())
        except BaseException as error:  # reported in the test's thread below
            barrier.abort()
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT_S)
    assert not any(thread.is_alive() for thread in threads), "a racing thread never finished"
    if errors:
        raise errors[0]
    return Race(results=results, spans=spans)
