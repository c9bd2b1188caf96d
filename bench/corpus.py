"""The synthetic corpus: generated in one streaming pass and bulk-loaded with COPY.

Shapes follow a forum that an annotation community works on: thread sizes with a heavy tail
and reply trees of varying depth; term usage Zipf-distributed, with each thread returning to a
few topic terms; a few hot terms with dozens of senses; claims on sentences that use a term,
concentrated in busy threads; readings per claim around three; votes clustered on popular
claims. Rows respect what the app relies on: a claim's quote, prefix and suffix are cut from
its comment's text at its offsets by the app's own `anchor_span`; mentions are exactly what
the term matcher finds; a sense reading's definition is a sense of its term; a reading's
`votes_up`/`votes_down` are the tallies of its vote rows, its creator's +1 included; a term's
`claim_count` counts the claims that read it; sequences continue after the loaded ids.
`verify` checks all of that after the load.

Loading: every big table streams into its own COPY on its own connection at once, with its
secondary indexes, unique and foreign-key constraints dropped first and rebuilt after (which
also re-checks uniqueness and references over the whole load).
"""

import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from django.db import models

from apps.accounts.models import User
from apps.annotations.anchoring import anchor_span
from apps.annotations.models import Claim, Mention, Reading, Vote
from apps.forum.models import Comment, Thread
from apps.glossary.matcher import TermMatcher
from apps.glossary.models import (
    Decomposition,
    Definition,
    DefinitionEquivalence,
    Term,
    TermAlias,
)
from apps.glossary.normalize import normalize_term
from apps.workspaces.models import Workspace
from bench.text import Vocabulary, term_names, zipf_weights


@dataclass(frozen=True)
class Scale:
    name: str
    comments: int
    claims: int
    readings: int
    terms: int
    users: int
    hot_terms: int = 8
    # The thread the thread-detail benchmark reads: this many comments and claims.
    big_thread_comments: int = 500
    big_thread_claims: int = 2000
    seed: int = 6


SCALES = {
    # The full scale's ratios, at 1/300 of it (plus the one big thread).
    "small": Scale("small", comments=10_000, claims=3_300, readings=10_000, terms=300, users=150),
    # A tenth of the full scale: checks a fix against full-scale shapes in minutes.
    "medium": Scale(
        "medium", comments=300_000, claims=100_000, readings=300_000, terms=2_000, users=1_000
    ),
    "full": Scale(
        "full", comments=3_000_000, claims=1_000_000, readings=3_000_000, terms=8_000, users=5_000
    ),
}

BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
SOURCES = [Thread.Source.LESSWRONG, Thread.Source.ALIGNMENT_FORUM, Thread.Source.EA_FORUM]
MEAN_SENTENCES = 3.5
TERM_SENTENCE_SHARE = 0.3
BENCH_USERNAME = "bench"
# The first thread generated: 500 comments, 2,000 claims (Scale.big_thread_*).
BIG_THREAD_ID = 1


@dataclass
class Glossary:
    workspace_id: int
    term_ids: list[int]
    names: dict[int, str]
    surfaces: dict[int, list[str]]  # the canonical name first, then the aliases
    definitions: dict[int, list[int]]  # term id -> its definition ids, most used first
    decompositions: list[int]
    hot: list[int]


@dataclass
class LoadReport:
    counts: dict[str, int]
    big_thread_id: int
    seconds: dict[str, float]


class CopyWriter:
    """One COPY into a model's table on its own connection; columns the caller does not give
    get the model field's default, so a field added later needs no change here."""

    def __init__(self, dsn: str, model: type[models.Model], columns: list[str]) -> None:
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.defaults = []
        for column, field in fields.items():
            if column in columns:
                continue
            default = field.get_default()
            if default is None and not field.null:
                raise ValueError(f"{model.__name__}.{column} needs a value: it has no default")
            self.defaults.append((column, default))
        self.table = model._meta.db_table
        names = [*columns, *(c for c, _ in self.defaults)]
        self.tail = tuple(d for _, d in self.defaults)
        self.rows = 0
        self.conn = psycopg.connect(dsn)
        self.conn.execute("SET synchronous_commit = off")
        quoted = ", ".join(f'"{name}"' for name in names)
        self._context = self.conn.cursor().copy(f"COPY {self.table} ({quoted}) FROM STDIN")
        self._copy = self._context.__enter__()

    def write(self, row: tuple) -> None:
        self._copy.write_row(row + self.tail if self.tail else row)
        self.rows += 1

    def close(self) -> None:
        self._context.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()


# Index and constraint handling around the bulk load


def _drop_secondary(conn: psycopg.Connection, table: str) -> list[str]:
    """Drop a table's foreign keys, unique constraints and secondary indexes; return the DDL
    that recreates them (indexes first, then constraints)."""
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
        [table],
    ).fetchall()
    indexes = conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    ).fetchall()
    for name, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}' for name, ddl in constraints
    ]


STREAMED = [Thread, Comment, Claim, Reading, Vote, Mention]


def prepare_tables(dsn: str) -> list[str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return [ddl for model in STREAMED for ddl in _drop_secondary(conn, model._meta.db_table)]


def finish_tables(dsn: str, ddl: list[str], log: Callable[[str], None]) -> None:
    """Rebuild indexes and constraints, move sequences past the loaded ids, analyse."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        for statement in ddl:
            conn.execute(statement)
        tables = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
            "AND a.attname = 'id' AND a.attidentity <> ''"
        ).fetchall()
        for (table,) in tables:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        # The counter the app keeps as readings are written (Term.claim_count).
        conn.execute(
            "UPDATE glossary_term t SET claim_count = c.n FROM ("
            "SELECT term_id, count(DISTINCT claim_id) AS n FROM annotations_reading "
            "WHERE term_id IS NOT NULL GROUP BY term_id) c WHERE c.term_id = t.id"
        )
        log("vacuum analyze")
        conn.execute("VACUUM (ANALYZE)")


# Generation


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the means here are small."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class Generator:
    def __init__(self, scale: Scale, dsn: str, log: Callable[[str], None]) -> None:
        self.scale = scale
        self.dsn = dsn
        self.log = log
        self.rng = random.Random(scale.seed)
        self.vocab = Vocabulary(self.rng)
        self.user_cum = zipf_weights(scale.users, 1.0)
        self.author_count = max(50, scale.comments // 150)
        self.author_cum = zipf_weights(self.author_count, 1.0)

    def user(self) -> int:
        return self.rng.choices(range(1, self.scale.users + 1), cum_weights=self.user_cum)[0]

    def timestamp(self, n: int) -> datetime:
        return BASE_TIME + timedelta(seconds=n * 7)

    # Users and the glossary: small, built first so the stream can refer to them.

    def users(self) -> None:
        writer = CopyWriter(
            self.dsn, User, ["id", "password", "username", "date_joined", "is_active"]
        )
        for n in range(1, self.scale.users + 1):
            # "!" marks an unusable password: these users exist to annotate and vote.
            writer.write((n, "!bench", f"annotator{n}", BASE_TIME, True))
        writer.close()

    def glossary(self, workspace_id: int) -> Glossary:
        s, rng, now = self.scale, self.rng, BASE_TIME
        names = term_names(rng, s.terms * 2)
        canonical, alias_pool = names[: s.terms], names[s.terms :]
        term_ids = list(range(1, s.terms + 1))
        surfaces: dict[int, list[str]] = {}
        terms = CopyWriter(
            self.dsn,
            Term,
            [
                "id",
                "workspace_id",
                "name",
                "normalized",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
        )
        aliases = CopyWriter(
            self.dsn,
            TermAlias,
            ["id", "term_id", "workspace_id", "text", "normalized", "is_canonical"],
        )
        alias_id = 0
        for term_id, name in zip(term_ids, canonical, strict=True):
            terms.write((term_id, workspace_id, name, normalize_term(name), self.user(), now, now))
            forms = [name]
            # Half the terms have an alias (an abbreviation, another phrase), a few have two.
            for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
                if alias_pool:
                    forms.append(alias_pool.pop())
            for index, form in enumerate(forms):
                alias_id += 1
                aliases.write(
                    (alias_id, term_id, workspace_id, form, normalize_term(form), index == 0)
                )
            surfaces[term_id] = forms
        terms.close()
        aliases.close()

        hot = term_ids[: s.hot_terms]
        definitions: dict[int, list[int]] = {}
        rows = CopyWriter(
            self.dsn,
            Definition,
            [
                "id",
                "term_id",
                "text",
                "label",
                "proposed_by",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
        )
        definition_id = 0
        texts: list[tuple[int, str]] = []
        for term_id in term_ids:
            count = rng.randint(20, 60) if term_id in hot else 2 + int(rng.expovariate(0.4))
            definitions[term_id] = []
            for _ in range(count):
                definition_id += 1
                if texts and rng.random() < 0.01:
                    # A near-copy of another term's sense: a synonym candidate to find.
                    text = texts[rng.randrange(len(texts))][1] + " too"
                else:
                    text = self.vocab.phrase(8, 20)
                texts.append((definition_id, text))
                label = " ".join(text.split()[:3]).lower()
                author = f"author{rng.randrange(self.author_count)}"
                rows.write((definition_id, term_id, text, label, author, self.user(), now, now))
                definitions[term_id].append(definition_id)
        rows.close()

        marks = set()
        for term_id in hot:
            senses = definitions[term_id]
            for _ in range(len(senses) // 10):
                a, b = sorted(rng.sample(senses, 2))
                marks.add((a, b))
        equivalences = CopyWriter(
            self.dsn, DefinitionEquivalence, ["id", "first_id", "second_id", "created_at"]
        )
        for n, (a, b) in enumerate(sorted(marks), start=1):
            equivalences.write((n, a, b, now))
        equivalences.close()

        decomposition_ids = list(range(1, max(4, s.terms // 40) + 1))
        decompositions = CopyWriter(
            self.dsn,
            Decomposition,
            ["id", "workspace_id", "name", "created_by_id", "created_at", "updated_at"],
        )
        members = CopyWriter(
            self.dsn, Decomposition.definitions.through, ["id", "decomposition_id", "definition_id"]
        )
        member_id = 0
        for decomposition_id in decomposition_ids:
            decompositions.write(
                (decomposition_id, workspace_id, f"split {decomposition_id}", self.user(), now, now)
            )
            chosen = {rng.choice(definitions[t]) for t in rng.sample(hot, min(3, len(hot)))}
            for definition in sorted(chosen):
                member_id += 1
                members.write((member_id, decomposition_id, definition))
        decompositions.close()
        members.close()
        self.log(
            f"glossary: {s.terms} terms, {alias_id} variants, {definition_id} definitions, "
            f"{len(marks)} equivalences, {len(decomposition_ids)} decompositions"
        )
        return Glossary(
            workspace_id=workspace_id,
            term_ids=term_ids,
            names=dict(zip(term_ids, canonical, strict=True)),
            surfaces=surfaces,
            definitions=definitions,
            decompositions=decomposition_ids,
            hot=hot,
        )

    # The stream: threads, comments, claims, readings, votes, mentions.

    def thread_sizes(self) -> Iterator[int]:
        s, rng = self.scale, self.rng
        yield s.big_thread_comments
        remaining = s.comments - s.big_thread_comments
        while remaining > 0:
            # Pareto-tailed: most threads are short, a few have hundreds or thousands.
            size = min(2 + int(rng.paretovariate(1.3) * 20), 3000, remaining)
            remaining -= size
            yield size

    def stream(self, glossary: Glossary) -> LoadReport:
        s, rng, vocab = self.scale, self.rng, self.vocab
        term_cum = zipf_weights(len(glossary.term_ids), 1.1)
        writers = {
            "thread": CopyWriter(
                self.dsn,
                Thread,
                [
                    "id",
                    "workspace_id",
                    "title",
                    "source",
                    "source_url",
                    "external_id",
                    "created_by_id",
                    "imported_at",
                    "created_at",
                    "updated_at",
                ],
            ),
            "comment": CopyWriter(
                self.dsn,
                Comment,
                [
                    "id",
                    "thread_id",
                    "parent_id",
                    "external_id",
                    "author",
                    "posted_at",
                    "text",
                    "score",
                    "position",
                    "created_at",
                    "updated_at",
                ],
            ),
            "claim": CopyWriter(
                self.dsn,
                Claim,
                [
                    "id",
                    "comment_id",
                    "start",
                    "end",
                    "quote",
                    "prefix",
                    "suffix",
                    "anchor",
                    "created_by_id",
                    "created_at",
                    "updated_at",
                ],
            ),
            "reading": CopyWriter(
                self.dsn,
                Reading,
                [
                    "id",
                    "kind",
                    "claim_id",
                    "term_id",
                    "definition_id",
                    "decomposition_id",
                    "origin",
                    "votes_up",
                    "votes_down",
                    "created_by_id",
                    "created_at",
                    "updated_at",
                ],
            ),
            "vote": CopyWriter(
                self.dsn,
                Vote,
                ["id", "reading_id", "user_id", "value", "created_at", "updated_at"],
            ),
            "mention": CopyWriter(
                self.dsn,
                Mention,
                [
                    "id",
                    "comment_id",
                    "term_id",
                    "start",
                    "end",
                    "status",
                    "text",
                    "created_at",
                    "updated_at",
                ],
            ),
        }
        ids = dict.fromkeys(writers, 0)
        readings_per_claim = s.readings / s.claims
        expected_term_sentences = (
            (s.comments - s.big_thread_comments) * MEAN_SENTENCES * TERM_SENTENCE_SHARE
        )
        claim_share = (s.claims - s.big_thread_claims) / expected_term_sentences
        # Outside the big thread: term sentences seen, and the claims their odds promised.
        term_sentences, odds_given = 0, 0.0
        users = range(1, s.users + 1)

        def pick_term(topics: list[int]) -> int:
            if rng.random() < 0.7:
                return rng.choice(topics)
            return rng.choices(glossary.term_ids, cum_weights=term_cum)[0]

        def senses_in_play(term_id: int) -> list[int]:
            """The few senses of a term one thread argues over (a hot term has dozens in the
            corpus), the term's earlier (popular) senses more often."""
            senses = glossary.definitions[term_id]
            wanted = min(3 + min(_poisson(rng, 1.5), 4), len(senses))
            picks: set[int] = set()
            while len(picks) < wanted:
                picks.add(min(int(rng.expovariate(0.35)), len(senses) - 1))
            return [senses[index] for index in sorted(picks)]

        def readings_for(claim_id: int, term_id: int, when: datetime) -> None:
            if term_id not in in_play:
                in_play[term_id] = senses_in_play(term_id)
            senses = in_play[term_id]
            wanted = min(1 + _poisson(rng, readings_per_claim * 1.4 - 1), len(senses))
            chosen = sorted(rng.sample(senses, wanted))
            shapes = [("sense", term_id, d, None) for d in chosen]
            if rng.random() < 0.01:
                shapes.append(("decomposition", None, None, rng.choice(glossary.decompositions)))
            popularity = (rng.paretovariate(2.2) - 1) * 0.6
            for rank, (kind, term, definition, decomposition) in enumerate(shapes):
                ids["reading"] += 1
                reading_id = ids["reading"]
                creator = self.user()
                extra = min(int(popularity * rng.expovariate(1.0) * 2), 40, s.users - 1)
                voters = [u for u in rng.sample(users, extra + 1) if u != creator][:extra]
                agree = 0.8 if rank == 0 else 0.45
                up, down = 1, 0
                ids["vote"] += 1
                writers["vote"].write((ids["vote"], reading_id, creator, 1, when, when))
                for voter in voters:
                    value = 1 if rng.random() < agree else -1
                    up, down = up + (value == 1), down + (value == -1)
                    ids["vote"] += 1
                    writers["vote"].write((ids["vote"], reading_id, voter, value, when, when))
                writers["reading"].write(
                    (
                        reading_id,
                        kind,
                        claim_id,
                        term,
                        definition,
                        decomposition,
                        "person",
                        up,
                        down,
                        creator,
                        when,
                        when,
                    )
                )

        big_thread_id = BIG_THREAD_ID
        comment_n = 0
        for thread_index, size in enumerate(self.thread_sizes()):
            ids["thread"] += 1
            thread_id = ids["thread"]
            big = thread_id == big_thread_id
            when = self.timestamp(comment_n)
            writers["thread"].write(
                (
                    thread_id,
                    glossary.workspace_id,
                    vocab.phrase(4, 10),
                    SOURCES[thread_index % 3],
                    "",
                    f"bench-{thread_id}",
                    None,
                    when,
                    when,
                    when,
                )
            )
            topics = [
                rng.choices(glossary.term_ids, cum_weights=term_cum)[0]
                for _ in range(rng.randint(3, 6))
            ]
            in_play: dict[int, list[int]] = {}
            activity = rng.paretovariate(1.5) / 3
            if term_sentences > 1000 and comment_n < s.comments:
                # Feedback on the odds of a claim, so the corpus meets its target: the busiest
                # threads' odds are clipped at 1, and sentence counts are estimates.
                made = ids["claim"] - s.big_thread_claims
                per_comment = term_sentences / (comment_n - s.big_thread_comments)
                remaining = (s.comments - comment_n) * per_comment
                efficiency = made / max(odds_given, 1.0)
                claim_share = (s.claims - ids["claim"]) / remaining / max(efficiency, 0.25)
                claim_share = min(max(claim_share, 0.0), 1.0)
            first_id = ids["comment"] + 1
            for position in range(size):
                ids["comment"] += 1
                comment_id = ids["comment"]
                comment_n += 1
                when = self.timestamp(comment_n)
                if position == 0:
                    parent = None
                else:
                    roll = rng.random()
                    if roll < 0.25:
                        parent = first_id  # replies to the post
                    elif roll < 0.65:
                        parent = comment_id - 1  # continues a chain: deep branches
                    else:
                        parent = rng.randint(first_id, comment_id - 1)
                parts: list[str] = []
                offset = 0
                claims: list[tuple[int, int, int]] = []  # start, end, term
                if big:
                    plan = [True, False, True, True, False, True]
                else:
                    count = 1 + min(int(rng.expovariate(1 / (MEAN_SENTENCES - 1))), 14)
                    plan = [rng.random() < TERM_SENTENCE_SHARE for _ in range(count)]
                for with_term in plan:
                    if with_term:
                        term_id = pick_term(topics)
                        forms = glossary.surfaces[term_id]
                        surface = forms[0] if rng.random() < 0.7 else rng.choice(forms)
                        head, tail = rng.choice(vocab.heads), rng.choice(vocab.tails)
                        sentence = f"{head} {surface} {tail}"
                        at = offset + len(head) + 1
                        ids["mention"] += 1
                        writers["mention"].write(
                            (
                                ids["mention"],
                                comment_id,
                                term_id,
                                at,
                                at + len(surface),
                                "suggested",
                                surface,
                                when,
                                when,
                            )
                        )
                        if not big:
                            term_sentences += 1
                            odds_given += min(1.0, claim_share * activity)
                        if big or rng.random() < claim_share * activity:
                            claims.append((offset, offset + len(sentence), term_id))
                    else:
                        sentence = rng.choice(vocab.sentences)
                    parts.append(sentence)
                    offset += len(sentence) + 1
                text = " ".join(parts)
                author = (
                    f"author{rng.choices(range(self.author_count), cum_weights=self.author_cum)[0]}"
                )
                writers["comment"].write(
                    (
                        comment_id,
                        thread_id,
                        parent,
                        f"c{comment_id}",
                        author,
                        when,
                        text,
                        rng.randint(-3, 60),
                        position,
                        when,
                        when,
                    )
                )
                for start, end, term_id in claims:
                    anchor = anchor_span(text, start, end)
                    ids["claim"] += 1
                    writers["claim"].write(
                        (
                            ids["claim"],
                            comment_id,
                            anchor.start,
                            anchor.end,
                            anchor.quote,
                            anchor.prefix,
                            anchor.suffix,
                            "anchored",
                            self.user(),
                            when,
                            when,
                        )
                    )
                    readings_for(ids["claim"], term_id, when)
            if thread_index % 2000 == 0 and thread_index:
                self.log(f"  {comment_n:,} comments, {ids['claim']:,} claims")
        for writer in writers.values():
            writer.close()
        return LoadReport(
            counts={name: writer.rows for name, writer in writers.items()},
            big_thread_id=big_thread_id,
            seconds={},
        )


def generate(scale: Scale, dsn: str, log: Callable[[str], None]) -> LoadReport:
    """Load the corpus into a freshly migrated, empty database."""
    started = time.perf_counter()
    generator = Generator(scale, dsn, log)
    workspace_id = Workspace.objects.get(slug=Workspace.DEFAULT_SLUG).id
    ddl = prepare_tables(dsn)
    generator.users()
    glossary = generator.glossary(workspace_id)
    report = generator.stream(glossary)
    loaded = time.perf_counter()
    log(f"streamed {report.counts} in {loaded - started:.1f} s; rebuilding indexes")
    finish_tables(dsn, ddl, log)
    report.seconds = {
        "copy": round(loaded - started, 2),
        "indexes_and_analyze": round(time.perf_counter() - loaded, 2),
    }
    report.counts["term"] = scale.terms
    report.counts["definition"] = sum(len(d) for d in glossary.definitions.values())
    report.counts["user"] = scale.users
    return report


def count_rows(dsn: str) -> dict[str, int]:
    """Rows of the corpus's tables, for a run that reuses a corpus generated earlier."""
    models_ = {"thread": Thread, "comment": Comment, "claim": Claim, "reading": Reading}
    models_ |= {"vote": Vote, "mention": Mention, "term": Term, "definition": Definition}
    with psycopg.connect(dsn) as conn:
        return {
            name: conn.execute(f"SELECT count(*) FROM {model._meta.db_table}").fetchone()[0]
            for name, model in models_.items()
        }


# Checks of the invariants the app relies on


def verify(dsn: str, sample_every: int, log: Callable[[str], None]) -> dict[str, Any]:
    """Count rows that break an invariant (each must be 0). Text checks look at every
    `sample_every`-th claim and comment, so they stay cheap at full scale."""
    checks = {
        "claims whose quote/prefix/suffix differ from the comment text": f"""
            SELECT count(*) FROM annotations_claim c JOIN forum_comment m ON m.id = c.comment_id
            WHERE c.id % {sample_every} = 0 AND (
              substr(m.text, c.start + 1, c."end" - c.start) <> c.quote
              OR substr(m.text, greatest(c.start - 32, 0) + 1, c.start - greatest(c.start - 32, 0))
                 <> c.prefix
              OR substr(m.text, c."end" + 1, 32) <> c.suffix)""",
        "mentions whose text differs from the comment text": f"""
            SELECT count(*) FROM annotations_mention x JOIN forum_comment m ON m.id = x.comment_id
            WHERE x.id % {sample_every} = 0
              AND substr(m.text, x.start + 1, x."end" - x.start) <> x.text""",
        "sense readings whose definition is not a sense of their term": """
            SELECT count(*) FROM annotations_reading r JOIN glossary_definition d
              ON d.id = r.definition_id WHERE d.term_id <> r.term_id""",
        "readings whose tallies differ from their votes": """
            SELECT count(*) FROM annotations_reading r LEFT JOIN (
              SELECT reading_id, count(*) FILTER (WHERE value = 1) AS up,
                     count(*) FILTER (WHERE value = -1) AS down
              FROM annotations_vote GROUP BY reading_id) v ON v.reading_id = r.id
            WHERE r.votes_up <> coalesce(v.up, 0) OR r.votes_down <> coalesce(v.down, 0)""",
        "terms whose claim_count differs from their claims": """
            SELECT count(*) FROM glossary_term t LEFT JOIN (
              SELECT term_id, count(DISTINCT claim_id) AS n FROM annotations_reading
              WHERE term_id IS NOT NULL GROUP BY term_id) c ON c.term_id = t.id
            WHERE t.claim_count <> coalesce(c.n, 0)""",
        "readings without their creator's +1": """
            SELECT count(*) FROM annotations_reading r WHERE NOT EXISTS (
              SELECT 1 FROM annotations_vote v
              WHERE v.reading_id = r.id AND v.user_id = r.created_by_id AND v.value = 1)""",
        "replies whose parent is in another thread": """
            SELECT count(*) FROM forum_comment c JOIN forum_comment p ON p.id = c.parent_id
            WHERE p.thread_id <> c.thread_id""",
    }
    broken = {}
    with psycopg.connect(dsn) as conn:
        for name, sql in checks.items():
            broken[name] = conn.execute(sql).fetchone()[0]
        # A new row must get an id past the loaded ones.
        for table in (
            "forum_comment",
            "annotations_claim",
            "annotations_reading",
            "annotations_vote",
        ):
            top = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
            nxt = conn.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
            ).fetchone()[0]
            broken[f"{table}: sequence at or behind the loaded ids"] = int(nxt <= top)
        conn.rollback()
    bad = {k: v for k, v in broken.items() if v}
    if bad:
        raise AssertionError(f"the generated corpus breaks invariants: {bad}")
    log(f"invariants hold ({len(broken)} checks)")
    return broken


def verify_mentions(dsn: str, workspace_id: int, limit: int) -> int:
    """The generated mentions of up to `limit` comments equal what the term matcher finds."""
    aliases = TermAlias.objects.filter(workspace_id=workspace_id).order_by(
        "term_id", "-is_canonical", "id"
    )
    matcher = TermMatcher(aliases.values_list("term_id", "text"))
    with psycopg.connect(dsn) as conn:
        comments = conn.execute(
            "SELECT id, text FROM forum_comment WHERE id %% %s = 0 ORDER BY id LIMIT %s",
            [
                max(1, conn.execute("SELECT count(*) FROM forum_comment").fetchone()[0] // limit),
                limit,
            ],
        ).fetchall()
        ids = [c[0] for c in comments]
        stored: dict[int, set] = {i: set() for i in ids}
        for comment_id, term_id, start, end in conn.execute(
            'SELECT comment_id, term_id, start, "end" FROM annotations_mention '
            "WHERE comment_id = ANY(%s)",
            [ids],
        ):
            stored[comment_id].add((term_id, start, end))
    for comment_id, text in comments:
        found = {(m.term_id, m.start, m.end) for m in matcher.find(text)}
        if found != stored[comment_id]:
            raise AssertionError(
                f"comment {comment_id}: the matcher finds {sorted(found - stored[comment_id])} "
                f"not generated, misses {sorted(stored[comment_id] - found)}"
            )
    return len(comments)
