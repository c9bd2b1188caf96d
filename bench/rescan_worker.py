"""The full conflict rescan as the worker runs it, in processes of its own, reporting on stdout
so the parent can watch their memory.

The beat job hands the rescan out as jobs (`apps/conflicts/tasks.py`): one for the synonym
units and one per chunk of threads, in a lane per worker process (`--processes`, two on this
two-core machine), each lane sending its next chunk when one is done. Here the synonym job
runs first, alone, then the chunks on the processes, each calling what the chunk job calls;
that is slower than the worker, where the synonym job overlaps the chunks.

`python -m bench.rescan_worker` runs it whole. With `--sample-seconds N` the synonym job runs
whole and chunks of random threads are handed out for about N seconds, that phase's time
projected from the share of threads done.
"""

import argparse
import json
import multiprocessing
import random
import sys
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

import django

# One run id, as the beat job gives its chunk jobs (each process keeps a glossary per run).
RUN = uuid.uuid4().hex


def _rescan_chunk(thread_ids: list[int]) -> tuple[int, dict]:
    """In a pool process: what the chunk job does with one chunk."""
    from apps.conflicts.tasks import rescan_chunk

    return len(thread_ids), rescan_chunk(thread_ids, RUN).__dict__


def _run_chunks(chunks: list[list[int]], processes: int, seconds: float) -> tuple[int, dict]:
    """Hand the chunks to `processes` processes, one at a time each as they finish; with
    `seconds`, none after that long. The threads done and the summed results."""
    from django.db import connections

    connections.close_all()  # each process opens its own
    started, done, total = time.perf_counter(), 0, {}
    pending: set[Future] = set()
    remaining = iter(chunks)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        while True:
            while len(pending) < processes and (
                not seconds or time.perf_counter() - started < seconds
            ):
                chunk = next(remaining, None)
                if chunk is None:
                    break
                pending.add(pool.submit(_rescan_chunk, chunk))
            if not pending:
                return done, total
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                threads, result = future.result()
                done += threads
                total = {k: total.get(k, 0) + v for k, v in result.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample-seconds", type=float, default=0)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    django.setup()
    from apps.conflicts import detection
    from apps.forum.models import Thread

    started = time.perf_counter()
    if args.sample_seconds:
        threads = list(Thread.objects.values_list("id", flat=True))
        random.Random(1).shuffle(threads)
        chunks = detection.thread_chunks(threads)
    else:
        chunks = detection.thread_chunks()
        threads = [t for chunk in chunks for t in chunk]
    listed = time.perf_counter() - started
    synonyms_started = time.perf_counter()
    result = detection.rescan_synonyms().__dict__
    synonyms = time.perf_counter() - synonyms_started
    chunks_started = time.perf_counter()
    done, found = _run_chunks(chunks, args.processes, args.sample_seconds)
    spent = time.perf_counter() - chunks_started
    if not args.sample_seconds:
        result = {k: result[k] + found.get(k, 0) for k in result}
        print(f"done {json.dumps(result)}", flush=True)
        return
    phases = {
        "synonym job (whole)": {"seconds": round(synonyms, 2)},
        f"threads on {args.processes} processes": {
            "units": len(threads),
            "units_done": done,
            "seconds": round(spent, 2),
            "projected_seconds": round(spent * len(threads) / max(done, 1), 1),
        },
    }
    projected = listed + synonyms + spent * len(threads) / max(done, 1)
    summary = {"listing_seconds": round(listed, 2), "projected_seconds": round(projected, 1)}
    print("sample " + json.dumps({**summary, "phases": phases}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
