"""`python -m bench.run --scale small|medium|full`: build a corpus, run benchmarks, judge budgets.

DATABASE_URL names the database the run DROPS and recreates (its name must contain "bench");
CELERY_BROKER_URL a Redis for the API server's background jobs (they are only queued: the
runner purges them afterwards). Results go to bench/results/<scale>.json.
"""

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS = ["rescan", "api", "detection", "import", "matcher"]

# Production settings with DEBUG off, as the bench's API server and in-process jobs run them.
# The throttles are raised because one client sends every request; TLS redirects are off
# because the server is reached over plain loopback HTTP.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "SECURE_SSL_REDIRECT": "0",
    "NUM_PROXIES": "0",
    "THROTTLE_USER_RATE": "1000000/min",
    "THROTTLE_ANON_RATE": "1000000/min",
    "LOG_LEVEL": "WARNING",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_dsn() -> str:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or "bench" not in name:
        sys.exit(
            "bench: DATABASE_URL must name a PostgreSQL database whose name contains 'bench' "
            "(the run drops and recreates it), e.g. "
            "postgres://postgres@127.0.0.1:5432/sensemap_bench"
        )
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def recreate_database(dsn: str) -> None:
    import psycopg

    parts = urlsplit(dsn)
    name = parts.path.lstrip("/")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "medium", "full"], default="small")
    parser.add_argument(
        "--only", default=",".join(BENCHMARKS), help=f"comma-separated subset of {BENCHMARKS}"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the corpus already in the database (skip generation), to re-run benchmarks",
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="build the corpus, run no benchmark"
    )
    args = parser.parse_args(argv)
    selected = [] if args.generate_only else [b.strip() for b in args.only.split(",") if b.strip()]
    if unknown := set(selected) - set(BENCHMARKS):
        parser.error(f"unknown benchmarks {sorted(unknown)}")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        sys.exit("bench: CELERY_BROKER_URL must name a Redis (the API server queues jobs there)")

    dsn = database_dsn()
    os.environ.update(SERVER_ENV)
    started = time.perf_counter()
    if not args.reuse:
        log(f"recreating {urlsplit(dsn).path.lstrip('/')}")
        recreate_database(dsn)

    import django

    django.setup()
    # whitenoise notes that collectstatic never ran; the benchmarks serve no static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    from django.core.management import call_command

    from bench import budgets, corpus, report

    result: dict[str, Any] = {"scale": args.scale, "machine": report.machine(dsn)}
    result["started_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    scale = corpus.SCALES[args.scale]
    if not args.reuse:
        call_command("migrate", verbosity=0)
        log(f"generating the {scale.name} corpus")
        loaded = corpus.generate(scale, dsn, log)
        result["corpus"] = {
            "counts": loaded.counts,
            "seconds": loaded.seconds,
            "big_thread_id": loaded.big_thread_id,
        }
    else:
        result["corpus"] = {"counts": corpus.count_rows(dsn), "reused": True}
    sample_every = 1 if scale.name == "small" else 50
    result.setdefault("corpus", {})["invariants"] = corpus.verify(dsn, sample_every, log)
    workspace_id = corpus.Workspace.objects.get(slug=corpus.Workspace.DEFAULT_SLUG).id
    checked = corpus.verify_mentions(dsn, workspace_id, 2000)
    log(f"the term matcher finds exactly the generated mentions in {checked} comments")
    result["corpus"]["generate_seconds"] = round(time.perf_counter() - started, 1)

    if args.generate_only:
        log(f"corpus ready: {result['corpus']}")
        return 0
    from bench import api, detection, imports, matcher

    runners = {
        "rescan": lambda: detection.rescan(scale, log),
        "api": lambda: api.run(dsn, scale, log),
        "detection": lambda: detection.incremental(scale, log),
        "import": lambda: imports.run(scale, log),
        "matcher": lambda: matcher.run(scale, log),
    }
    previous = _previous(args.scale)
    for name in BENCHMARKS:
        if name in selected:
            log(f"benchmark: {name}")
            result[name] = runners[name]()
            print(result[name].pop("table"), flush=True)
        elif name in previous:
            result[name] = previous[name]  # kept from the last run, so budgets see everything
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["budgets"] = budgets.judge(result, _previous("small") if args.scale == "full" else {})
    print(budgets.table(result["budgets"], args.scale), flush=True)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{args.scale}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    log(f"wrote {path.relative_to(RESULTS.parent.parent)} ({result['seconds']} s in all)")
    return 0


def _previous(scale: str) -> dict[str, Any]:
    path = RESULTS / f"{scale}.json"
    return json.loads(path.read_text()) if path.exists() else {}


if __name__ == "__main__":
    sys.exit(main())
