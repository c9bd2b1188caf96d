"""Import throughput: ForumMagnum GraphQL JSON files through the import service, with the
suggestion job (term mentions, definition candidates) each import asks for.

Jobs run eagerly in this process when the import commits, as a worker would run them; Celery's
task signals time each job, so the detection job the import also asks for is reported apart.
"""

import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from html import escape
from typing import Any

from celery import signals

from bench.corpus import BASE_TIME, Scale
from bench.report import table
from bench.text import Vocabulary


def forummagnum_file(
    rng: random.Random, vocab: Vocabulary, surfaces: list[str], post: str, comments: int
) -> str:
    """A post and its comments as the ForumMagnum GraphQL API returns them (HTML bodies)."""

    def body() -> str:
        paragraphs = []
        for _ in range(rng.randint(1, 3)):
            sentences = []
            for _ in range(rng.randint(1, 4)):
                if rng.random() < 0.3:
                    head, tail = rng.choice(vocab.heads), rng.choice(vocab.tails)
                    sentences.append(f"{head} <em>{escape(rng.choice(surfaces))}</em> {tail}")
                elif rng.random() < 0.05:
                    term = rng.choice(surfaces)
                    sentences.append(f"By {escape(term)} I mean {rng.choice(vocab.tails)}")
                else:
                    sentences.append(escape(rng.choice(vocab.sentences)))
            paragraphs.append(f"<p>{' '.join(sentences)}</p>")
        return "".join(paragraphs)

    items = []
    for n in range(comments):
        parent = None if n == 0 or rng.random() < 0.3 else f"{post}c{rng.randrange(n)}"
        items.append(
            {
                "_id": f"{post}c{n}",
                "postId": post,
                "parentCommentId": parent,
                "htmlBody": body(),
                "postedAt": (BASE_TIME + timedelta(minutes=n)).isoformat(),
                "baseScore": rng.randint(-2, 40),
                "user": {"displayName": f"author{rng.randrange(500)}"},
                "pageUrl": "",
            }
        )
    return json.dumps(
        {
            "data": {
                "post": {
                    "result": {
                        "_id": post,
                        "title": vocab.phrase(4, 9),
                        "htmlBody": body(),
                        "postedAt": BASE_TIME.isoformat(),
                        "baseScore": 50,
                        "user": {"displayName": "author0"},
                        "pageUrl": "",
                    }
                },
                "comments": {"results": items},
            }
        }
    )


def run(scale: Scale, log: Callable[[str], None]) -> dict[str, Any]:
    from apps.glossary.models import TermAlias
    from apps.imports.services import thread_import
    from config.celery import app

    files, comments = (2, 1000) if scale.name == "small" else (3, 4000)
    rng = random.Random(11)
    vocab = Vocabulary(rng, pool=4000)
    surfaces = list(TermAlias.objects.values_list("text", flat=True)[:5000])
    payloads = [
        forummagnum_file(rng, vocab, surfaces, f"benchpost{n}x{rng.randrange(10**9)}", comments)
        for n in range(files)
    ]
    job_seconds: dict[str, float] = defaultdict(float)
    starts: dict[str, float] = {}

    def prerun(task_id: str, task: Any, **_: Any) -> None:
        starts[task_id] = time.perf_counter()

    def postrun(task_id: str, task: Any, **_: Any) -> None:
        if task_id in starts:
            job_seconds[task.name] += time.perf_counter() - starts.pop(task_id)

    signals.task_prerun.connect(prerun, weak=False)
    signals.task_postrun.connect(postrun, weak=False)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    rows = []
    imported = []
    try:
        for payload in payloads:
            job_seconds.clear()
            started = time.perf_counter()
            result = thread_import(user=None, content=payload, format="forummagnum")
            total = time.perf_counter() - started
            imported.append(result.thread.id)
            suggest = job_seconds.get("apps.annotations.tasks.refresh_suggestions_task", 0.0)
            detect = job_seconds.get("apps.conflicts.tasks.detect_conflicts_task", 0.0)
            n = result.comments_created
            rows.append(
                {
                    "comments": n,
                    "bytes": len(payload.encode()),
                    "seconds_total": round(total, 3),
                    "seconds_suggestions": round(suggest, 3),
                    "seconds_detection": round(detect, 3),
                    "comments_per_second": round(n / (total - detect), 1),
                    "comments_per_second_with_detection": round(n / total, 1),
                }
            )
    finally:
        app.conf.task_always_eager = eager
        signals.task_prerun.disconnect(prerun)
        signals.task_postrun.disconnect(postrun)
    from apps.annotations.models import DefinitionCandidate, Mention

    mentions = Mention.objects.filter(comment__thread_id__in=imported).count()
    candidates = DefinitionCandidate.objects.filter(comment__thread_id__in=imported).count()
    total_comments = sum(r["comments"] for r in rows)
    seconds = sum(r["seconds_total"] - r["seconds_detection"] for r in rows)
    result = {
        "files": rows,
        "comments_per_second": round(total_comments / seconds, 1),
        "comments_per_second_with_detection": round(
            total_comments / sum(r["seconds_total"] for r in rows), 1
        ),
        "mentions_found": mentions,
        "definition_candidates_found": candidates,
        "glossary_variants": TermAlias.objects.count(),
    }
    result["table"] = table(
        "ForumMagnum import with the suggestion job (parse, upsert, mentions, definition "
        f"candidates; {result['glossary_variants']:,} term variants in the glossary)",
        ["file", "comments", "MB", "s import+suggest", "s suggest", "s detect", "comments/s"],
        [
            [
                n + 1,
                r["comments"],
                round(r["bytes"] / 1e6, 2),
                round(r["seconds_total"] - r["seconds_detection"], 2),
                r["seconds_suggestions"],
                r["seconds_detection"],
                r["comments_per_second"],
            ]
            for n, r in enumerate(rows)
        ],
    )
    return result
