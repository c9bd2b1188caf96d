"""CSV and glossary exports of a thread's annotations, through the API and the command."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.annotations.services import reading_vote
from apps.conflicts import detection
from apps.conflicts.models import Conflict
from apps.forum.models import Comment
from tests.conflicts.test_rules import EXCHANGE, INFINITE, TRAINING, comments
from tests.factories import (
    make_claim,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    make_workspace,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def annotated(alice, bob, rita):
    """A comment and its reply reading "outer alignment" in two senses: an equivocation."""
    thread = make_thread(texts=EXCHANGE)
    term = make_term(alice, "outer alignment")
    training = make_definition(alice, term, TRAINING, label="training data")
    infinite = make_definition(alice, term, INFINITE, label="infinite data")
    first, second, _ = comments(thread)
    a = make_reading(alice, make_claim(alice, first), training)
    b = make_reading(bob, make_claim(bob, second), infinite)
    reading_vote(reading=a, user=rita, value=1)
    detection.run([f"thread:{thread.id}"])
    return thread, a, b


def test_csv_has_one_row_per_reading_with_the_conflicts_citing_it(annotated, anon_client):
    thread, a, b = annotated
    response = anon_client.get(f"/api/threads/{thread.id}/export/csv/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"thread-{thread.id}-readings.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    conflict = Conflict.objects.get(kind="equivocation")
    assert [(r["reading"], r["term"], r["definition_label"]) for r in rows] == [
        (str(a.id), "outer alignment", "training data"),
        (str(b.id), "outer alignment", "infinite data"),
    ]
    assert rows[0]["author"] == comments(thread)[0].author
    assert (rows[0]["votes_up"], rows[0]["consensus"], rows[0]["marked_by"]) == (
        "2",
        "accepted",
        "alice",
    )
    assert rows[0]["conflicts"] == rows[1]["conflicts"] == str(conflict.id)


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(alice, anon_client):
    thread = make_thread(texts=('=HYPERLINK("http://evil.example") is what I mean.',))
    Comment.objects.filter(thread=thread).update(author="@SUM(1+1)")
    term = make_term(alice, "+cmd|' /C calc'!A0")
    definition = make_definition(alice, term, "-2+3", label="=1+2")
    make_reading(alice, make_claim(alice, comments(thread)[0]), definition)
    rows = list(
        csv.DictReader(
            io.StringIO(anon_client.get(f"/api/threads/{thread.id}/export/csv/").content.decode())
        )
    )
    assert rows[0]["quote"].startswith("'=HYPERLINK")
    # Names and labels are user text too, not only quotes and definitions.
    assert (rows[0]["author"], rows[0]["term"]) == ("'@SUM(1+1)", "'+cmd|' /C calc'!A0")
    assert (rows[0]["definition_label"], rows[0]["definition_text"]) == ("'=1+2", "'-2+3")


def test_glossary_shows_who_means_what(annotated, anon_client):
    thread, _, _ = annotated
    response = anon_client.get(f"/api/threads/{thread.id}/export/glossary/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    first, second, _ = comments(thread)
    assert "## outer alignment" in text
    assert f"- **training data**: {TRAINING}" in text
    assert f"  - {first.author}: “{first.text}” (2 agree, 0 disagree; accepted)" in text
    assert f"  - {second.author}: “{second.text}”" in text


def test_glossary_never_passes_markup_through(alice, anon_client):
    thread = make_thread(
        texts=("I mean <script>alert(1)</script> and [x](javascript:y) &lt;b&gt;.",)
    )
    term = make_term(alice, "outer *alignment*")
    make_reading(alice, make_claim(alice, comments(thread)[0]), make_definition(alice, term, "z"))
    text = anon_client.get(f"/api/threads/{thread.id}/export/glossary/").content.decode()
    assert "<script>" not in text
    assert "\\<script\\>" in text
    assert "\\[x\\](javascript:y)" in text
    # An entity in user text stays as written, not decoded by a Markdown renderer.
    assert "\\&lt;b\\&gt;" in text
    assert "## outer \\*alignment\\*" in text


def test_unknown_format_and_private_threads(alice, bob, api_client_for, anon_client):
    thread = make_thread()
    response = anon_client.get(f"/api/threads/{thread.id}/export/pdf/")
    assert response.status_code == 400
    assert "csv, glossary" in response.json()["error"]["message"]
    private = make_thread(workspace=make_workspace("private", members=(alice,)))
    assert api_client_for(bob).get(f"/api/threads/{private.id}/export/csv/").status_code == 404
    assert api_client_for(alice).get(f"/api/threads/{private.id}/export/csv/").status_code == 200


def test_command_writes_the_export(annotated) -> None:
    thread, _, _ = annotated
    out = StringIO()
    call_command("export_thread", str(thread.id), "--format", "glossary", stdout=out)
    assert out.getvalue().startswith("# Glossary: ")
    out = StringIO()
    call_command("export_thread", str(thread.id), stdout=out)
    assert out.getvalue().startswith("reading,kind,claim,")
    with pytest.raises(CommandError, match="No thread"):
        call_command("export_thread", "999999")
