"""The full conflict rescan in a process of its own, as the beat job runs it, reporting on
stdout so the parent can watch its memory.

`python -m bench.rescan_worker` runs `detection.rescan()` whole. With `--sample-seconds N` it
runs the same batches (`find` then `save_all`, 200 units at a time) over random samples for
about N seconds per phase, synonym units and thread units apart (their costs differ by orders
of magnitude), and projects each phase's time from the share of its units done.
"""

import argparse
import json
import random
import sys
import time

import django


def _sample(detection, pending: list, seconds: float, batch: int = 200) -> dict:
    started, done = time.perf_counter(), 0
    while done < len(pending) and time.perf_counter() - started < seconds:
        detection.save_all(detection.find(sorted(pending[done : done + batch])))
        done = min(done + batch, len(pending))
    spent = time.perf_counter() - started
    return {
        "units": len(pending),
        "units_done": done,
        "seconds": round(spent, 2),
        "projected_seconds": round(spent * len(pending) / max(done, 1), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample-seconds", type=float, default=0)
    args = parser.parse_args()
    django.setup()
    from apps.conflicts import detection, units

    started = time.perf_counter()
    if not args.sample_seconds:
        result = detection.rescan()
        print(f"done {json.dumps(result.__dict__)}", flush=True)
        return
    rng = random.Random(1)
    everything = detection.all_units()
    listed = time.perf_counter() - started
    synonyms = [u for u in everything if u.scope == units.TERM_SYNONYMS]
    rng.shuffle(synonyms)
    # Thread units in random threads, each thread's units together as rescan() batches them.
    by_thread: dict[int, list] = {}
    for unit in everything:
        if unit.scope != units.TERM_SYNONYMS:
            by_thread.setdefault(unit.first, []).append(unit)
    threads = list(by_thread)
    rng.shuffle(threads)
    in_threads = [u for t in threads for u in by_thread[t]]
    phases = {
        "synonym units": _sample(detection, synonyms, args.sample_seconds),
        "thread units": _sample(detection, in_threads, args.sample_seconds),
    }
    projected = listed + sum(p["projected_seconds"] for p in phases.values())
    summary = {"listing_seconds": round(listed, 2), "projected_seconds": round(projected, 1)}
    print("sample " + json.dumps({**summary, "phases": phases}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
