"""The import path end to end: the command line and the API store what the parsers read."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.forum.models import Comment, Thread

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
SEEDS = ROOT.parent / "shared" / "seeds"
CHROME = ("Load More", "New Comment", "comments, sorted by")


def seed_files() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not present: seed import tests need the pasted forum threads")
    return sorted(SEEDS.glob("*.txt"))


def run_import(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_thread", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "source"),
    [("forummagnum_post.json", None), ("discourse_topic.json", "discourse")],
)
def test_command_imports_fixtures_and_reimports_without_duplicates(name, source) -> None:
    output = run_import(FIXTURES / name)
    assert output.startswith("Imported thread")
    thread = Thread.objects.get()
    if source:
        assert thread.source == source
    count = Comment.objects.count()
    assert count > 3

    assert run_import(FIXTURES / name).startswith("Updated thread")
    assert Comment.objects.count() == count
    assert Thread.objects.count() == 1


def test_command_reports_bad_input_without_writing(tmp_path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"data": {"post": ')
    with pytest.raises(CommandError, match="line 1"):
        run_import(bad)
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "missing.json")
    assert Thread.objects.count() == Comment.objects.count() == 0


def test_every_seed_imports_cleanly_through_the_command() -> None:
    for path in seed_files():
        run_import(path)
    assert Thread.objects.count() == len(seed_files())
    for comment in Comment.objects.all():
        assert comment.text.strip()
        assert not any(chrome in comment.text for chrome in CHROME), comment.text[:80]


def test_duplicated_blocks_in_seeds_are_imported_once() -> None:
    for path in seed_files():
        run_import(path)
        thread = Thread.objects.latest("id")
        texts = list(thread.comments.values_list("text", flat=True))
        assert len(texts) == len(set(texts)), path.name


def test_seed_post_titles_are_context_not_comments() -> None:
    titled = [p for p in seed_files() if p.name.startswith("002_")]
    if not titled:
        pytest.skip("seed 002 (a profile page with per-comment post titles) is not present")
    run_import(titled[0])
    thread = Thread.objects.get()
    contexts = set(thread.comments.exclude(context="").values_list("context", flat=True))
    assert contexts
    assert not thread.comments.filter(text__in=contexts).exists()


def test_every_seed_imports_through_the_api(alice, api_client_for) -> None:
    client = api_client_for(alice)
    for path in seed_files():
        response = client.post(
            "/api/threads/import/", {"content": path.read_text(), "format": "text"}, format="json"
        )
        assert response.status_code == 201, (path.name, response.json())
        again = client.post("/api/threads/import/", {"content": path.read_text()}, format="json")
        assert again.status_code == 200
        assert again.json()["comments_created"] == 0
