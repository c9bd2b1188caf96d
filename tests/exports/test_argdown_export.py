"""The Argdown export, read back by the real Argdown parser (@argdown/core under Node)."""

import json
import select
import shutil
import subprocess
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.annotations.models import Claim, ClaimLink
from apps.exports.argdown import argdown_text
from apps.forum.models import Comment, Thread
from tests.celery_worker import services_required
from tests.exports.test_aif_export import TRICKY, annotated_thread
from tests.factories import make_thread, make_workspace, public_workspace

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
SCRIPT = Path(__file__).with_name("argdown_parse.mjs")
PARSE_TIMEOUT_S = 120
RELATIONS = {ClaimLink.Kind.SUPPORTS: "support", ClaimLink.Kind.ATTACKS: "attack"}


def _parser_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH (install Node 20+)"
    if not (FRONTEND / "node_modules" / "@argdown" / "core" / "package.json").is_file():
        return "@argdown/core is not installed: run npm ci in frontend/"
    return None


class _Parser:
    """One Node process running argdown_parse.mjs --lines: a document in, what the parser saw
    out, so the suite pays Node's and the parser's start-up once."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(SCRIPT), str(FRONTEND), "--lines"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
        )

    def __call__(self, text: str) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(text) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], PARSE_TIMEOUT_S)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            errors = self.close()
            pytest.fail(
                f"the Argdown parser gave no answer (exit {self.process.returncode}): {errors}"
            )
        parsed = json.loads(line)
        assert parsed["lexerErrors"] == [], parsed["lexerErrors"]
        assert parsed["parserErrors"] == [], parsed["parserErrors"]
        assert parsed["exceptions"] == [], parsed["exceptions"]
        return parsed

    def close(self) -> str:
        """Ends the process (closing its input ends its loop), closes every pipe, and returns
        what it wrote to standard error."""
        try:
            _, errors = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, errors = self.process.communicate()
        return errors


@pytest.fixture(scope="session")
def parse() -> Iterator[_Parser]:
    """Argdown text -> what @argdown/core's parser and model builder made of it, errors asserted
    away. Skipped without Node or the module, except under SENSEMAP_REQUIRE_SERVICES=1 (CI)."""
    if reason := _parser_missing():
        if services_required():
            pytest.fail(f"SENSEMAP_REQUIRE_SERVICES=1 but {reason}")
        pytest.skip(reason)
    parser = _Parser()
    yield parser
    parser.close()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _export(client, thread: Thread) -> str:
    response = client.get(f"/api/threads/{thread.id}/export/argdown/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f'filename="thread-{thread.id}-map.argdown"' in response["Content-Disposition"]
    return response.content.decode()


def _expected(thread: Thread) -> tuple[dict[str, Any], set[tuple[str, str, str]]]:
    """Per statement title (text, data, tags: none), and the (from, to, type) relations, from
    the database."""
    claims = Claim.objects.filter(comment__thread=thread).select_related("comment")
    links = ClaimLink.objects.filter(source__comment__thread=thread)
    statements = {}
    for claim in claims:
        data = {"claim": claim.id, "comment": claim.comment_id, "author": claim.comment.author}
        for kind in ("restates", "clarifies"):
            targets = [
                f"Claim {link.target_id}"
                for link in links
                if link.source_id == claim.id and link.kind == kind
            ]
            if targets:
                data[kind] = targets
        statements[f"Claim {claim.id}"] = (_flat(claim.quote), data, [])
    relations = {
        (f"Claim {link.source_id}", f"Claim {link.target_id}", RELATIONS[link.kind])
        for link in links
        if link.kind in RELATIONS
    }
    return statements, relations


def _seen(parsed: dict[str, Any]) -> tuple[dict[str, Any], set[tuple[str, str, str]]]:
    statements = {
        s["title"]: ((s["text"] or "").strip(), s["data"], s["tags"]) for s in parsed["statements"]
    }
    relations = {(r["from"], r["to"], r["type"]) for r in parsed["relations"]}
    return statements, relations


@pytest.mark.django_db
def test_a_realistic_thread_parses_into_its_claims_and_links(alice, bob, rita, anon_client, parse):
    thread = annotated_thread(alice, bob, rita)
    parsed = parse(_export(anon_client, thread))
    statements, relations = _expected(thread)
    assert _seen(parsed) == (statements, relations)
    assert len(statements) == 5 and len(relations) == 5
    # The tricky quote (brackets, //, /* */, <!-- -->, {data}, ===, :smile:, emoji) is intact.
    assert _flat(TRICKY) in {text for text, _, _ in statements.values()}
    assert parsed["sections"] == [_flat(thread.title)]


@pytest.mark.django_db
def test_senses_are_comment_blocks_the_parser_skips(alice, bob, rita, anon_client, parse):
    thread = annotated_thread(alice, bob, rita)
    text = _export(anon_client, thread)
    assert "// Senses of the term “outer alignment”" in text
    assert "//   - training (definition" in text
    # A definition's second line is its own comment line, and "*/" in it ends nothing.
    assert "//     line */ <!-- x --> {y: 1} ✨\n" in text
    assert "// Senses of the term “goal *mis*generalisation // [x]”" in text
    assert "// Decomposition “Limit-of-data split”" in text
    assert "// Note: Ada's\n//   sense.\n[Claim" in text
    blocks = [
        line for line in text.splitlines() if line and not line.startswith(("//", "[", "  ", "#"))
    ]
    assert blocks == []
    # Whatever the comments hold, the parser sees only the claims' statements and links.
    assert _seen(parse(text)) == _expected(thread)


@pytest.mark.django_db
def test_command_writes_the_same_document(alice, bob, rita, anon_client):
    thread = annotated_thread(alice, bob, rita)
    out = StringIO()
    call_command("export_thread", str(thread.id), "--format", "argdown", stdout=out)
    assert out.getvalue() == _export(anon_client, thread)


@pytest.mark.django_db
def test_empty_threads_are_valid_empty_maps(anon_client, parse):
    bare = Thread.objects.create(
        workspace=public_workspace(), title="Nothing [yet] // here", source="text", external_id="x"
    )
    for thread in (bare, make_thread()):
        parsed = parse(_export(anon_client, thread))
        assert parsed["statements"] == [] and parsed["relations"] == []
        assert parsed["sections"] == [_flat(thread.title)]


@pytest.mark.django_db
def test_private_and_missing_threads_are_not_found(alice, bob, api_client_for, anon_client):
    private = make_thread(workspace=make_workspace("private", members=(alice,)))
    assert anon_client.get(f"/api/threads/{private.id}/export/argdown/").status_code == 404
    assert api_client_for(bob).get(f"/api/threads/{private.id}/export/argdown/").status_code == 404
    assert (
        api_client_for(alice).get(f"/api/threads/{private.id}/export/argdown/").status_code == 200
    )
    assert anon_client.get("/api/threads/999999/export/argdown/").status_code == 404


# Any text, escaped, reads back as itself. Hypothesis joins pieces: the characters Argdown gives
# a meaning to, its multi-character constructs (so that openers meet their closers), line breaks
# of every kind, emoji, combining marks and other scripts. One parser run checks a whole batch.
SPECIAL = "\\[]<>@#*_/{}()=.:,;-+!?'\"`~^|&%$ \t\n\r\u2028\u2029\u0085\x0b\x0c"
CONSTRUCTS = ["//", "/*", "*/", "<!--", "-->", "===", "+>", "->", "><", "_>", "<_", "--", "**"]
CONSTRUCTS += ["{a: b}", "[A]", "[A]:", "<B>", "<B>:", "@[A]", "#(t)", "#t", ":smile:", ".->."]
CONSTRUCTS += ["(1)", "1.", "\n\n", "\n  ", "\n+ ", "\n- ", "\n# "]
OTHER = ["a", "b", "Z", "9", "é", "日", "ß", "🎯", "👍🏽", "\u0301", "\u200d", "\xa0", " word "]
texts = (
    st.lists(st.sampled_from(list(SPECIAL) + CONSTRUCTS + OTHER), min_size=1, max_size=30)
    .map("".join)
    .filter(str.strip)
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(texts, min_size=1, max_size=40))
def test_escaped_text_reads_back_as_itself(parse, batch):
    document = "".join(f"[S{i}]: {argdown_text(t)}\n\n" for i, t in enumerate(batch))
    parsed = parse(document)
    # Only the text: no tag, no inline data, no relation came out of it.
    assert {s["title"]: (s["text"], s["tags"], s["data"]) for s in parsed["statements"]} == {
        f"S{i}": (_flat(t), [], None) for i, t in enumerate(batch)
    }
    assert parsed["relations"] == []


def test_hand_picked_markup_reads_back_as_itself(parse):
    samples = [
        TRICKY,
        "[Title]: a statement? <Arg>: an argument? [x](javascript:alert(1))",
        "+> [A]\n-> [B]\n  - [C]\n>< [D]\n_> <E>",
        "=== front: matter ===\n--\n(1) premise\n----\n(2) conclusion",
        "{isInMap: false} #(tag) #tag @[A] @<B> :-) .x. :x: e.g. a.b 1:2",
        "**bold** __bold__ *it* _it_ a_b_c 2*3*4",
        "// comment\n/* block */ <!-- html --> back\\slash\\",
        "ends with a backslash \\",
    ]
    document = "".join(f"[S{i}]: {argdown_text(t)}\n\n" for i, t in enumerate(samples))
    parsed = parse(document)
    assert [(s["text"], s["tags"], s["data"]) for s in parsed["statements"]] == [
        (_flat(t), [], None) for t in samples
    ]
    assert parsed["relations"] == []


@pytest.mark.django_db
def test_tricky_titles_authors_and_comments_stay_text(alice, anon_client, parse):
    thread = make_thread(texts=("x",))
    thread.title = "# Title with [refs] <args> // and /* */ {data}\nand a new line 🎯"
    thread.save(update_fields=["title"])
    comment = Comment.objects.get(thread=thread)
    comment.author = 'ev"il}, {author: x} # \u2028 ]'
    comment.save(update_fields=["author"])
    claim = Claim.objects.create(
        comment=comment,
        start=0,
        end=1,
        quote="x",
        note="*/ <!--\r\nnote\u2028line",
        created_by=alice,
    )
    text = _export(anon_client, thread)
    assert "// Note: */ <!--\n//   note\n//   line\n[Claim" in text
    parsed = parse(text)
    assert parsed["sections"] == [_flat(thread.title)]
    (statement,) = parsed["statements"]
    assert statement["text"].strip() == "x"
    assert statement["data"] == {"claim": claim.id, "comment": comment.id, "author": comment.author}
