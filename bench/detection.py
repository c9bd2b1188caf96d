"""Conflict detection: the full rescan in a process of its own (time and peak RSS), and the
incremental job a single vote on a hot term causes (what a worker runs after the vote).
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
from celery import signals
from django.db import connection

from bench.corpus import Scale
from bench.report import table

ROOT = Path(__file__).resolve().parent.parent
# The worker's processes that share the rescan's jobs: one per core, as Celery starts them.
PROCESSES = os.cpu_count() or 1


def hot_term() -> int:
    """The term with the most sense readings."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term_id FROM annotations_reading WHERE kind = 'sense' "
            "GROUP BY term_id ORDER BY count(*) DESC LIMIT 1"
        )
        return cursor.fetchone()[0]


def _readings() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM annotations_reading")
        return cursor.fetchone()[0]


def _rescan_process(
    log: Callable[[str], None], sample_seconds: float, max_threads: int = 0
) -> dict[str, Any]:
    """bench/rescan_worker.py in processes of its own, polling their RSS: the whole rescan, or
    with `sample_seconds` a sample of each phase (of `max_threads` threads at most) and a
    projection (see that module)."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "bench.rescan_worker", "--processes", str(PROCESSES)]
    if sample_seconds:
        command += ["--sample-seconds", str(sample_seconds), "--max-threads", str(max_threads)]
    process = psutil.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    # The peak of any one process: each is a worker process of its own when deployed.
    peak = 0
    while process.poll() is None:
        try:
            for each in [process, *process.children(recursive=True)]:
                peak = max(peak, each.memory_info().rss)
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.05)
    reader.join(10)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"the rescan failed: {''.join(lines)[-2000:]}")
    run: dict[str, Any] = {"peak_rss_mb": round(peak / 2**20, 1)}
    for line in lines:
        if line.startswith("done "):
            run |= {"completed": True, "seconds": round(seconds, 2)}
            run["result"] = json.loads(line[5:])
        elif line.startswith("sample "):
            sample = json.loads(line[7:])
            run |= {"completed": False, "seconds": sample["projected_seconds"], "sample": sample}
    log(f"  rescan: {run}")
    return run


def rescan(scale: Scale, log: Callable[[str], None]) -> dict[str, Any]:
    readings = _readings()
    # A whole rescan at full scale outlasts a working session: there it is sampled
    # (BENCH_RESCAN_SAMPLE seconds a phase) and projected; BENCH_RESCAN_SAMPLE=0 runs it whole.
    sample = float(os.environ.get("BENCH_RESCAN_SAMPLE", 0 if scale.name == "small" else 120))
    # The first run finds every conflict of a corpus nobody scanned yet; the second is the
    # periodic rescan of a corpus already scanned, which finds the same and changes nothing.
    first = _rescan_process(log, sample)
    # Sampled, the periodic run takes the threads the first one scanned, in the same order.
    scanned = first["sample"]["phases"]["chunk jobs"]["units_done"] if sample else 0
    second = _rescan_process(log, sample, scanned)
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, status, count(*) FROM conflicts_conflict GROUP BY 1, 2")
        conflicts = {f"{kind}/{status}": n for kind, status, n in cursor.fetchall()}
    per_million = {
        name: round(run["seconds"] / readings * 1e6, 1)
        for name, run in (("first", first), ("periodic", second))
    }
    result = {
        "readings": readings,
        "processes": PROCESSES,
        "first": first,
        "periodic": second,
        "seconds_per_million_readings": per_million,
        "conflicts": conflicts,
    }

    def how(run: dict) -> str:
        if run["completed"]:
            return "complete"
        phases = run["sample"]["phases"]
        return f"projected from samples, job seconds shared by {PROCESSES} processes: " + ", ".join(
            f"{name} {p['units_done']:,} of {p['units']:,} threads {p['seconds']} s"
            if "units" in p
            else f"{name} {p['seconds']} s"
            for name, p in phases.items()
        )

    result["table"] = table(
        f"Full rescan (its jobs on {PROCESSES} worker processes) over {readings:,} readings",
        ["run", "seconds", "s per 1M readings", "peak RSS (MB)", "how measured"],
        [
            [
                label,
                run["seconds"],
                per_million[name],
                run["peak_rss_mb"],
                how(run),
            ]
            for name, label, run in (
                ("first", "first (finds every conflict)", first),
                ("periodic", "periodic (nothing changed)", second),
            )
        ],
    )
    return result


def incremental(scale: Scale, log: Callable[[str], None]) -> dict[str, Any]:
    """Vote on readings of the hottest term and time the detection job each vote causes.

    Jobs run eagerly in this process at commit, as the worker would run them (run_job: claim
    the outbox row, detect for the unit, delete the row); Celery's task signals time them."""
    from apps.accounts.models import User
    from apps.annotations.models import Reading
    from apps.annotations.services import reading_vote
    from apps.conflicts.units import DETECT_TASK
    from bench.corpus import BENCH_USERNAME
    from config.celery import app

    votes = 30
    term = hot_term()
    with connection.cursor() as cursor:
        # Readings of the hot term in threads where it is read more than once, so a vote can
        # change an equivocation; spread over many threads.
        cursor.execute(
            """
            SELECT DISTINCT ON (m.thread_id) r.id, m.thread_id
            FROM annotations_reading r JOIN annotations_claim c ON c.id = r.claim_id
            JOIN forum_comment m ON m.id = c.comment_id
            WHERE r.term_id = %s AND m.thread_id IN (
              SELECT m2.thread_id FROM annotations_reading r2
              JOIN annotations_claim c2 ON c2.id = r2.claim_id
              JOIN forum_comment m2 ON m2.id = c2.comment_id
              WHERE r2.term_id = %s GROUP BY m2.thread_id HAVING count(*) > 3)
            ORDER BY m.thread_id, r.id LIMIT %s""",
            [term, term, votes],
        )
        targets = cursor.fetchall()
    user, _ = User.objects.get_or_create(username=BENCH_USERNAME)
    durations: list[float] = []
    starts: dict[str, float] = {}

    def prerun(task_id: str, task: Any, **_: Any) -> None:
        if task.name == DETECT_TASK:
            starts[task_id] = time.perf_counter()

    def postrun(task_id: str, task: Any, **_: Any) -> None:
        if task_id in starts:
            durations.append(time.perf_counter() - starts.pop(task_id))

    signals.task_prerun.connect(prerun, weak=False)
    signals.task_postrun.connect(postrun, weak=False)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    sizes = []
    try:
        for round_ in range(2):
            for reading_id, thread_id in targets:
                reading = Reading.objects.get(id=reading_id)
                reading_vote(reading=reading, user=user, value=-1 if round_ == 0 else 1)
                sizes.append(
                    Reading.objects.filter(
                        term_id=term, claim__comment__thread_id=thread_id
                    ).count()
                )
    finally:
        app.conf.task_always_eager = eager
        signals.task_prerun.disconnect(prerun)
        signals.task_postrun.disconnect(postrun)
    if len(durations) != len(sizes):
        raise RuntimeError(f"{len(sizes)} votes ran {len(durations)} detection jobs")
    ms = sorted(d * 1000 for d in durations)
    result = {
        "term": term,
        "votes": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)], 2),
        "max_ms": round(ms[-1], 2),
        "readings_of_term_in_thread_median": statistics.median(sizes),
    }
    result["table"] = table(
        f"Incremental detection after one vote on the hot term {term} ({scale.name} scale)",
        ["votes", "median ms", "p95 ms", "max ms", "term's readings in the thread (median)"],
        [
            [
                result["votes"],
                result["median_ms"],
                result["p95_ms"],
                result["max_ms"],
                result["readings_of_term_in_thread_median"],
            ]
        ],
    )
    return result
