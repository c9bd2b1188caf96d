"""The full conflict rescan in a process of its own, as the beat job runs it, reporting on
stdout so the parent can watch its memory.

`python -m bench.rescan_worker` runs `detection.rescan()` whole. With `--sample-seconds N` it
runs the synonym pass whole (one pass per workspace, a fixed cost whatever the readings) and
the rescan's chunks of threads, on threads in random order, for about N seconds, projecting
that phase's time from the share of its threads done.
"""

import argparse
import json
import random
import sys
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample-seconds", type=float, default=0)
    args = parser.parse_args()
    django.setup()
    from apps.conflicts import detection, snapshot
    from apps.forum.models import Thread

    started = time.perf_counter()
    if not args.sample_seconds:
        result = detection.rescan()
        print(f"done {json.dumps(result.__dict__)}", flush=True)
        return
    threads = list(Thread.objects.values_list("id", flat=True))
    random.Random(1).shuffle(threads)
    listed = time.perf_counter() - started
    glossary, done = snapshot.Glossary(), 0
    while done < len(threads) and time.perf_counter() - started < args.sample_seconds:
        chunk = sorted(threads[done : done + detection.CHUNK])
        detection.rescan_threads(chunk, glossary)
        done += len(chunk)
    spent = time.perf_counter() - started - listed
    synonyms_started = time.perf_counter()
    detection.rescan_synonyms()
    synonyms = time.perf_counter() - synonyms_started
    phases = {
        "synonym pass (whole)": {"seconds": round(synonyms, 2)},
        "threads": {
            "units": len(threads),
            "units_done": done,
            "seconds": round(spent, 2),
            "projected_seconds": round(spent * len(threads) / max(done, 1), 1),
        },
    }
    projected = listed + synonyms + phases["threads"]["projected_seconds"]
    summary = {"listing_seconds": round(listed, 2), "projected_seconds": round(projected, 1)}
    print("sample " + json.dumps({**summary, "phases": phases}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
