"""The full conflict rescan as the worker runs it, in processes of its own, reporting on stdout
so the parent can watch their memory.

The beat job hands the rescan out as jobs (`apps/conflicts/tasks.py`): one for the synonym
units and one per chunk of threads, in a lane per worker process (`--processes`, two on this
two-core machine), each lane sending its next chunk when one is done. Here, likewise, the
processes take the synonym job and then the chunks one at a time each as they finish, each
job calling what its Celery job calls.

`python -m bench.rescan_worker` runs it whole. With `--sample-seconds N` the synonym job runs
whole and chunks of random threads (the first `--max-threads` of them, when given) are handed
out for about N seconds; the rescan's time is projected as the worker spends it: the synonym
job's time and every chunk's (from the share of threads done), shared by the processes.
"""

import argparse
import json
import multiprocessing
import random
import sys
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

import django

# One run id, as the beat job gives its chunk jobs (each process keeps a glossary per run).
RUN = uuid.uuid4().hex


def _rescan_chunk(thread_ids: list[int]) -> tuple[int, dict, float]:
    """In a pool process: what the chunk job does with one chunk, and how long it took."""
    from apps.conflicts.tasks import rescan_chunk

    started = time.perf_counter()
    result = rescan_chunk(thread_ids, RUN).__dict__
    return len(thread_ids), result, time.perf_counter() - started


def _rescan_synonyms() -> tuple[int, dict, float]:
    """In a pool process: the synonym job."""
    from apps.conflicts.detection import rescan_synonyms

    started = time.perf_counter()
    result = rescan_synonyms().__dict__
    return 0, result, time.perf_counter() - started


def _run_jobs(chunks: list[list[int]], processes: int, seconds: float) -> dict[str, Any]:
    """The synonym job, then the chunks, handed to `processes` processes one at a time each
    as they finish, as the worker takes the jobs of a rescan; with `seconds`, no chunk after
    that long (the synonym job runs whole). The threads done, the summed results, the synonym
    job's time and the chunks' summed times."""
    from django.db import connections

    connections.close_all()  # each process opens its own
    started = time.perf_counter()
    run: dict[str, Any] = {"threads": 0, "result": {}, "synonyms": 0.0, "chunks": 0.0}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        pending: set[Future] = {pool.submit(_rescan_synonyms)}
        remaining = iter(chunks)
        while True:
            while len(pending) < processes and (
                not seconds or time.perf_counter() - started < seconds
            ):
                chunk = next(remaining, None)
                if chunk is None:
                    break
                pending.add(pool.submit(_rescan_chunk, chunk))
            if not pending:
                return run
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                threads, result, took = future.result()
                run["threads"] += threads
                run["result"] = {k: run["result"].get(k, 0) + v for k, v in result.items()}
                run["synonyms" if not threads else "chunks"] += took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample-seconds", type=float, default=0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--max-threads",
        type=int,
        default=0,
        help="with --sample-seconds: the sample's threads at most (those a sampled first run did)",
    )
    args = parser.parse_args()
    django.setup()
    from apps.conflicts import detection
    from apps.forum.models import Thread

    started = time.perf_counter()
    if args.sample_seconds:
        threads = list(Thread.objects.values_list("id", flat=True))
        random.Random(1).shuffle(threads)
        # A periodic sample stays within the threads the first run's sample scanned: beyond
        # them it would time first scans.
        chunks = detection.thread_chunks(threads[: args.max_threads or None])
    else:
        chunks = detection.thread_chunks()
        threads = [t for chunk in chunks for t in chunk]
    listed = time.perf_counter() - started
    run = _run_jobs(chunks, args.processes, args.sample_seconds)
    if not args.sample_seconds:
        print(f"done {json.dumps(run['result'])}", flush=True)
        return
    # The jobs' time, all chunks' projected from those done, shared by the processes: with
    # each lane sending its next chunk as one ends, they are busy until the last few chunks.
    chunks_projected = run["chunks"] * len(threads) / max(run["threads"], 1)
    projected = listed + (run["synonyms"] + chunks_projected) / args.processes
    phases = {
        "synonym job (whole)": {"seconds": round(run["synonyms"], 2)},
        "chunk jobs": {
            "units": len(threads),
            "units_done": run["threads"],
            "seconds": round(run["chunks"], 2),
            "projected_seconds": round(chunks_projected, 1),
        },
    }
    summary = {"listing_seconds": round(listed, 2), "projected_seconds": round(projected, 1)}
    print("sample " + json.dumps({**summary, "phases": phases}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
