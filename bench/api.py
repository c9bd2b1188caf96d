"""API latency against a real WSGI server: gunicorn, 2 sync workers, production settings with
DEBUG off, over loopback, as an authenticated user; each read beside its raw-SQL floor.

The floor is the SQL that returns the same page (the count and the rows with what the
endpoint nests in them, as JSON), run on an open connection: what the endpoint would cost if
HTTP, Django, DRF and serialisation were free. Writes queue their detection job in Redis
(detection runs asynchronously, measured in bench/detection.py); the runner purges the queue.
"""

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import requests

from bench.corpus import BENCH_USERNAME, BIG_THREAD_ID, Scale
from bench.report import percentiles, table

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_token() -> str:
    """The benchmark user's API token (an annotator with no special role)."""
    from rest_framework.authtoken.models import Token

    from apps.accounts.models import User

    user, _ = User.objects.get_or_create(username=BENCH_USERNAME)
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


class Server:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            # whitenoise notes that collectstatic never ran; the API does not serve static files.
            env={**os.environ, "PYTHONWARNINGS": "ignore:No directory at:UserWarning"},
        )

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                requests.get(f"{self.url}/api/workspaces/", timeout=10)
                return self
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _time_requests(
    session: requests.Session, requests_: list[Callable[[], requests.Response]]
) -> list[float]:
    samples = []
    for send in requests_:
        started = time.perf_counter()
        response = send()
        elapsed = time.perf_counter() - started
        if response.status_code >= 400:
            raise RuntimeError(f"{response.request.method} {response.url}: {response.text[:300]}")
        samples.append(elapsed)
    return samples


def _time_sql(dsn: str, sql: str, params: dict[str, Any], repeat: int) -> list[float]:
    samples = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(WARMUP // 2):
            conn.execute(sql, params).fetchall()
        for _ in range(repeat):
            started = time.perf_counter()
            rows = conn.execute(sql, params).fetchall()
            samples.append(time.perf_counter() - started)
            if not rows:
                raise RuntimeError(f"the floor query returned nothing: {sql[:80]}")
    return samples


def _time_replay(dsn: str, path: str, user: Any, repeat: int) -> list[float]:
    """The statements the endpoint itself runs for this page (captured once in-process),
    replayed on an open connection: the database's share of the endpoint."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient(SERVER_NAME="127.0.0.1")
    client.force_authenticate(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    samples = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for round_ in range(WARMUP // 2 + repeat):
            started = time.perf_counter()
            for sql in statements:
                conn.execute(sql.replace("%", "%%")).fetchall()
            if round_ >= WARMUP // 2:
                samples.append(time.perf_counter() - started)
    return samples


# The floors: each returns what the endpoint returns, in one statement.

READINGS_JSON = """
  (SELECT coalesce(json_agg(json_build_object(
     'id', r.id, 'kind', r.kind, 'claim', r.claim_id, 'term', r.term_id, 'term_name', t.name,
     'definition', r.definition_id, 'definition_label', d.label, 'definition_text', d.text,
     'decomposition', r.decomposition_id, 'decomposition_name', x.name, 'origin', r.origin,
     'confidence', r.confidence, 'votes_up', r.votes_up, 'votes_down', r.votes_down,
     'my_vote', coalesce(v.value, 0), 'created_by', ru.username, 'created_at', r.created_at)
     ORDER BY r.claim_id, r.id), '[]')
   FROM annotations_reading r
   LEFT JOIN glossary_term t ON t.id = r.term_id
   LEFT JOIN glossary_definition d ON d.id = r.definition_id
   LEFT JOIN glossary_decomposition x ON x.id = r.decomposition_id
   LEFT JOIN accounts_user ru ON ru.id = r.created_by_id
   LEFT JOIN annotations_vote v ON v.reading_id = r.id AND v.user_id = %(user)s
   WHERE r.claim_id = c.id)"""

VISIBLE = """
  (w.visibility IN ('public', 'restricted')
   OR w.id IN (SELECT workspace_id FROM workspaces_membership WHERE user_id = %(user)s))"""

CLAIMS_BY_TERM = f"""
WITH page AS (
  SELECT c.* FROM annotations_claim c
  JOIN forum_comment m ON m.id = c.comment_id JOIN forum_thread th ON th.id = m.thread_id
  JOIN workspaces_workspace w ON w.id = th.workspace_id
  WHERE {VISIBLE}
    AND c.id IN (SELECT claim_id FROM annotations_reading WHERE term_id = %(term)s)
  ORDER BY c.comment_id, c.start, c.id LIMIT 50)
SELECT (SELECT count(*) FROM annotations_claim c
        JOIN forum_comment m ON m.id = c.comment_id JOIN forum_thread th ON th.id = m.thread_id
        JOIN workspaces_workspace w ON w.id = th.workspace_id
        WHERE {VISIBLE} AND c.id IN (SELECT claim_id FROM annotations_reading
                                     WHERE term_id = %(term)s)),
       json_build_object('id', c.id, 'thread', m.thread_id, 'comment', c.comment_id,
         'author', m.author, 'start', c.start, 'end', c."end", 'quote', c.quote,
         'prefix', c.prefix, 'suffix', c.suffix, 'anchor', c.anchor, 'note', c.note,
         'created_by', u.username, 'created_at', c.created_at, 'updated_at', c.updated_at,
         'readings', {READINGS_JSON})
FROM page c JOIN forum_comment m ON m.id = c.comment_id
LEFT JOIN accounts_user u ON u.id = c.created_by_id
ORDER BY c.comment_id, c.start, c.id"""

THREAD_DETAIL = f"""
SELECT th.id, th.title, th.source, th.source_url, th.external_id, w.slug, u.username,
       th.created_at, th.updated_at, th.imported_at,
       (SELECT count(*) FROM forum_comment WHERE thread_id = th.id),
       (SELECT count(*) FROM annotations_claim c JOIN forum_comment m ON m.id = c.comment_id
        WHERE m.thread_id = th.id),
       (SELECT count(*) FROM conflicts_conflict
        WHERE thread_id = th.id AND status IN ('open', 'confirmed')),
       EXISTS (SELECT 1 FROM core_outboxjob WHERE thread_id = th.id),
       (SELECT json_agg(json_build_object('id', m.id, 'thread', m.thread_id,
          'parent', m.parent_id, 'author', m.author, 'posted_at', m.posted_at, 'text', m.text,
          'context', m.context, 'url', m.url, 'score', m.score, 'position', m.position)
          ORDER BY m.position, m.id) FROM forum_comment m WHERE m.thread_id = th.id)
FROM forum_thread th JOIN workspaces_workspace w ON w.id = th.workspace_id
LEFT JOIN accounts_user u ON u.id = th.created_by_id
WHERE th.id = %(thread)s AND {VISIBLE}"""

OPEN_CONFLICTS = f"""
WITH page AS (
  SELECT k.* FROM conflicts_conflict k JOIN workspaces_workspace w ON w.id = k.workspace_id
  WHERE k.status = 'open' AND {VISIBLE}
  ORDER BY k.severity DESC, k.updated_at DESC, k.id DESC LIMIT 50)
SELECT (SELECT count(*) FROM conflicts_conflict k
        JOIN workspaces_workspace w ON w.id = k.workspace_id
        WHERE k.status = 'open' AND {VISIBLE}),
       json_build_object('id', k.id, 'kind', k.kind, 'status', k.status,
         'severity', k.severity, 'summary', k.summary, 'evidence', k.evidence,
         'workspace', w.slug, 'thread', k.thread_id, 'thread_title', th.title,
         'term', k.term_id, 'term_name', t.name, 'other_term', k.other_term_id,
         'fingerprint', k.fingerprint, 'detected_at', k.detected_at,
         'created_at', k.created_at, 'updated_at', k.updated_at,
         'history', (SELECT coalesce(json_agg(json_build_object('action', h.action,
             'from_status', h.from_status, 'to_status', h.to_status, 'note', h.note,
             'actor', a.username, 'created_at', h.created_at) ORDER BY h.created_at, h.id), '[]')
           FROM conflicts_conflictreview h LEFT JOIN accounts_user a ON a.id = h.actor_id
           WHERE h.conflict_id = k.id))
FROM page k JOIN workspaces_workspace w ON w.id = k.workspace_id
LEFT JOIN forum_thread th ON th.id = k.thread_id
LEFT JOIN glossary_term t ON t.id = k.term_id
ORDER BY k.severity DESC, k.updated_at DESC, k.id DESC"""


def _write_targets(dsn: str, user_id: int, count: int, rng: random.Random) -> dict[str, list]:
    """Claims with a sense of their term not yet read on them (for create), readings to vote on."""
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            """
            SELECT r.claim_id, r.term_id,
                   (SELECT d.id FROM glossary_definition d WHERE d.term_id = r.term_id
                      AND NOT EXISTS (SELECT 1 FROM annotations_reading o WHERE o.claim_id =
                                      r.claim_id AND o.definition_id = d.id)
                    ORDER BY d.id DESC LIMIT 1)
            FROM annotations_reading r
            WHERE r.kind = 'sense' AND r.id %% 7 = 3
            ORDER BY r.id LIMIT %s""",
            [count * 4],
        ).fetchall()
        creates = list({(c, t): (c, t, d) for c, t, d in rows if d is not None}.values())
        votes = conn.execute(
            "SELECT id FROM annotations_reading WHERE id %% 11 = 5 AND id NOT IN "
            "(SELECT reading_id FROM annotations_vote WHERE user_id = %s) ORDER BY id LIMIT %s",
            [user_id, count],
        ).fetchall()
    rng.shuffle(creates)
    if len(creates) < count or len(votes) < count:
        raise RuntimeError("the corpus has too few claims or readings for the write benchmark")
    return {"create": creates[:count], "vote": [v[0] for v in votes]}


def run(dsn: str, scale: Scale, log: Callable[[str], None]) -> dict[str, Any]:
    from django.conf import settings

    from apps.accounts.models import User
    from bench.detection import hot_term
    from config.celery import app

    # At full scale the slowest read takes seconds (see README), so fewer samples.
    default = 100 if scale.name == "small" else 60
    requests_per_endpoint = int(os.environ.get("BENCH_API_REQUESTS", default))
    rng = random.Random(7)
    token = bench_token()
    user = User.objects.get(username=BENCH_USERNAME)
    user_id = user.id
    term = hot_term()
    with psycopg.connect(dsn) as conn:
        thread = BIG_THREAD_ID
        thread_shape = conn.execute(
            "SELECT (SELECT count(*) FROM forum_comment WHERE thread_id = %(t)s), "
            "(SELECT count(*) FROM annotations_claim c JOIN forum_comment m "
            " ON m.id = c.comment_id WHERE m.thread_id = %(t)s)",
            {"t": thread},
        ).fetchone()
    targets = _write_targets(dsn, user_id, requests_per_endpoint + WARMUP, rng)
    reads = {
        "list claims by term (page of 50)": (
            f"/api/claims/?term={term}&page_size=50",
            CLAIMS_BY_TERM,
            {"term": term},
        ),
        f"thread detail ({thread_shape[0]} comments, {thread_shape[1]} claims)": (
            f"/api/threads/{thread}/",
            THREAD_DETAIL,
            {"thread": thread},
        ),
        "open conflicts list (page of 50)": (
            "/api/conflicts/?status=open&page_size=50",
            OPEN_CONFLICTS,
            {},
        ),
    }
    results: dict[str, Any] = {"endpoints": {}, "server": "gunicorn, 2 sync workers"}
    log(f"gunicorn on loopback; {requests_per_endpoint} requests per endpoint")
    with Server() as server, requests.Session() as session:
        session.headers["Authorization"] = f"Token {token}"

        def get(path: str) -> Callable[[], requests.Response]:
            return lambda: session.get(server.url + path)

        for name, (path, sql, params) in reads.items():
            _time_requests(session, [get(path)] * WARMUP)
            samples = _time_requests(session, [get(path)] * requests_per_endpoint)
            # The floor: the faster of one hand-written statement and the endpoint's own SQL.
            floors = {
                "one statement": percentiles(
                    _time_sql(dsn, sql, {"user": user_id, **params}, requests_per_endpoint)
                ),
                "the endpoint's SQL replayed": percentiles(
                    _time_replay(dsn, path, user, requests_per_endpoint)
                ),
            }
            floor_name = min(floors, key=lambda k: floors[k]["p95_ms"])
            endpoint, floor_stats = percentiles(samples), floors[floor_name]
            count = session.get(server.url + path).json().get("count")
            results["endpoints"][name] = {
                "path": path,
                **endpoint,
                "floor": floor_stats,
                "floor_is": floor_name,
                "floors": floors,
                "p50_over_floor": round(endpoint["p50_ms"] / floor_stats["p50_ms"], 2),
                "p95_over_floor": round(endpoint["p95_ms"] / floor_stats["p95_ms"], 2),
                "items_in_list": count,
            }

        creates = [
            lambda c=c, t=t, d=d: session.post(
                server.url + "/api/readings/", json={"claim": c, "term": t, "definition": d}
            )
            for c, t, d in targets["create"]
        ]
        votes = [
            lambda r=r: session.post(
                server.url + f"/api/readings/{r}/vote/", json={"value": rng.choice((1, -1))}
            )
            for r in targets["vote"]
        ]
        for name, sends in (("create reading", creates), ("vote", votes)):
            _time_requests(session, sends[:WARMUP])
            samples = _time_requests(session, sends[WARMUP : WARMUP + requests_per_endpoint])
            results["endpoints"][name] = {"path": "POST", **percentiles(samples)}
    # Nothing consumes the detection jobs the writes queued: drop them and their outbox rows.
    app.conf.broker_url = settings.CELERY_BROKER_URL
    purged = app.control.purge()
    from apps.core.models import OutboxJob

    OutboxJob.objects.all().delete()
    results["queued_jobs_purged"] = purged
    rows = []
    for name, r in results["endpoints"].items():
        floor = r.get("floor")
        rows.append(
            [name, r["p50_ms"], r["p95_ms"], r["p99_ms"]]
            + (
                [floor["p50_ms"], floor["p95_ms"], f"{r['p95_over_floor']}×"]
                if floor
                else ["", "", ""]
            )
        )
    results["table"] = table(
        "API latency (ms), gunicorn 2 workers over loopback; floor = the same page in raw SQL",
        ["endpoint", "p50", "p95", "p99", "floor p50", "floor p95", "p95/floor"],
        rows,
    )
    return results
