"""The "text" importer on the real pasted seed threads and on fixtures written for the project."""

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from apps.imports.importers import text
from apps.imports.importers.base import ImportFormatError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEEDS = PROJECT_ROOT / ".." / "shared" / "seeds"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "imports"
CHROME = ("Load More", "New Comment", "comments, sorted by", "Click to highlight")


def read_seed(number: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present: seed import tests need the pasted forum threads")
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def standalone_blocks(document: str) -> list[str]:
    return [block.strip("\n") for block in document.split("\n\n") if block.strip()]


def assert_no_chrome(thread):
    for comment in thread.comments:
        for chrome in CHROME:
            assert chrome not in comment.text


def assert_texts_are_verbatim(thread, document: str):
    # Claims anchor by offsets into the stored text, so nothing may be reflowed.
    for comment in thread.comments:
        assert comment.text in document


# --- the seeds ------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["001", "004"])
def test_seed_without_blank_lines_has_one_comment_per_line_and_the_repeat_once(number):
    document = read_seed(number)
    lines = [line for line in document.splitlines() if line.strip()]
    assert len(set(lines)) < len(lines), "the seed should contain a pasted-twice block"

    thread = text.parse(document)

    assert len(thread.comments) == len(set(lines))
    assert [c.text for c in thread.comments] == list(dict.fromkeys(lines))
    assert all(c.parent_external_id is None for c in thread.comments)
    assert_no_chrome(thread)
    assert_texts_are_verbatim(thread, document)


def test_seed_profile_page_keeps_titles_as_context_and_finds_the_author():
    document = read_seed("002")
    blocks = standalone_blocks(document)
    name = blocks[0]

    thread = text.parse(document)

    titles = {c.context for c in thread.comments}
    assert all(c.context for c in thread.comments)
    assert all(c.author == name for c in thread.comments)
    # Every block that heads comments in two places is a title.
    repeated = {block for block, count in Counter(blocks).items() if count > 1}
    assert repeated <= titles
    assert titles <= set(blocks)
    # One comment per title occurrence: what follows a title, up to the next one.
    assert len(thread.comments) == sum(block in titles for block in blocks)
    for comment in thread.comments:
        assert comment.text not in titles
        assert comment.text != name
        assert not any(comment.text.startswith(title) for title in titles)
    # A "Re: ..." line occurring once is part of a comment, not a heading.
    replies_to = [b for b in blocks if b.startswith("Re: ") and blocks.count(b) == 1]
    assert replies_to
    for line in replies_to:
        assert line not in titles
        assert any(f"\n\n{line}\n\n" in c.text for c in thread.comments)
    assert thread.title == thread.comments[0].context
    assert_no_chrome(thread)
    assert_texts_are_verbatim(thread, document)


def test_seed_post_with_comments_merges_lists_and_replies_to_the_post():
    document = read_seed("000")
    before, after = document.split(" comments, sorted by", 1)
    list_lines_after = [line for line in after.splitlines() if line.lstrip()[:2] in ("1.", "5.")]

    thread = text.parse(document)

    post, first, second = thread.comments
    assert post.parent_external_id is None
    assert first.parent_external_id == second.parent_external_id == post.external_id
    # Everything above the chrome line, the question list included, is the post.
    assert post.text.startswith(before.splitlines()[0])
    assert "\n\n  1. " in post.text and "\n  5. " in post.text
    # The answer list belongs to the comment that introduces it, not to a comment of its own.
    assert all(line in first.text for line in list_lines_after)
    assert "  1. " not in second.text and "\n" not in second.text
    assert_no_chrome(thread)
    assert_texts_are_verbatim(thread, document)
    assert len(thread.title) <= text.TITLE_MAX_CHARS and thread.title.endswith("\u2026")


def test_seed_ids_are_stable_across_imports_and_line_endings():
    document = read_seed("004")

    first = text.parse(document)
    again = text.parse(document.replace("\n", "\r\n"))

    assert first.external_id == again.external_id
    assert [c.external_id for c in first.comments] == [c.external_id for c in again.comments]
    assert first.comments[0].external_id == (
        "t-" + hashlib.sha256(first.comments[0].text.encode()).hexdigest()[:16]
    )


# --- fixtures written for the project -------------------------------------------------------


def test_pasted_thread_fixture_splits_post_and_comments():
    document = (FIXTURES / "pasted_thread.txt").read_text(encoding="utf-8")

    thread = text.parse(document)

    post, *comments = thread.comments
    assert thread.source == "text"
    assert thread.title == "Robustness is doing double duty in our decomposition"
    assert thread.external_id.startswith("t-") and len(thread.external_id) == 18
    assert len(comments) == 3
    assert post.text.endswith("before we argue about the rest.")
    assert "  2. A policy that becomes useless" in post.text
    assert all(c.parent_external_id == post.external_id for c in comments)
    assert comments[0].text.startswith("For me robustness is only about capabilities.")
    assert comments[2].text.endswith("which outer alignment alone cannot rule out")
    assert "\n\n- case 1:" in comments[2].text
    assert all(c.text.strip() != "Reply" and "\nReply" not in c.text for c in comments)
    assert all(c.author == "" and c.posted_at is None and c.context == "" for c in comments)
    assert_no_chrome(thread)
    assert_texts_are_verbatim(thread, document)


def test_title_option_overrides_the_found_title():
    thread = text.parse("Inner alignment is underspecified.", title="  My reading list  ")

    assert thread.title == "My reading list"


def test_long_first_line_is_shortened_at_a_word_boundary():
    line = "Outer alignment " * 20

    thread = text.parse(line)

    assert thread.title.endswith("\u2026")
    assert len(thread.title) <= 120
    assert thread.title[:-1] == thread.title[:-1].rstrip()
    assert line.startswith(thread.title[:-1])


def test_trailing_spaces_and_carriage_returns_are_normalised():
    thread = text.parse(
        "Robustness is capability generalisation.   \r\rIt is not inner alignment.\t\r\n"
    )

    assert [c.text for c in thread.comments] == [
        "Robustness is capability generalisation.",
        "It is not inner alignment.",
    ]


def test_one_comment_header_and_chrome_inside_blocks():
    document = (
        "Is a mesa-optimizer necessary for inner misalignment?\n\n"
        "1 comment, sorted by top scoring\nNew Comment\n"
        "No: any learned policy can misgeneralise its goal.\nReply\n"
        "Show more\n"
    )

    post, reply = text.parse(document).comments

    assert post.text == "Is a mesa-optimizer necessary for inner misalignment?"
    assert reply.text == "No: any learned policy can misgeneralise its goal."
    assert reply.parent_external_id == post.external_id


def test_profile_page_with_title_case_headings_and_a_name():
    document = "\n\n".join(
        [
            "Rosa Calder",
            "Goal Misgeneralisation Is Not Inner Misalignment",
            "I keep these apart: one is about the objective, one about capabilities.",
            "Which of these questions are about inner alignment, then?",
            "Why Outer Alignment Needs a Distribution",
            "Without a distribution the reward is not good or bad at anything.",
        ]
    )

    thread = text.parse(document)

    assert [(c.context, c.author) for c in thread.comments] == [
        ("Goal Misgeneralisation Is Not Inner Misalignment", "Rosa Calder"),
        ("Why Outer Alignment Needs a Distribution", "Rosa Calder"),
    ]
    assert thread.comments[0].text.endswith(
        "\n\nWhich of these questions are about inner alignment, then?"
    )
    assert thread.title == "Goal Misgeneralisation Is Not Inner Misalignment"


def test_a_short_title_case_reply_does_not_make_a_profile_page():
    document = "Robustness means capabilities carry over.\n\nThanks Rosa\n\nI read it the same way."

    thread = text.parse(document)

    assert [c.text for c in thread.comments] == [
        "Robustness means capabilities carry over.",
        "Thanks Rosa",
        "I read it the same way.",
    ]
    assert all(c.context == "" and c.author == "" for c in thread.comments)


def test_a_page_pasted_twice_does_not_turn_repeated_short_lines_into_titles():
    page = "outer alignment = reward is right in the limit\n\nThat is my decomposition."

    thread = text.parse(page + "\n\n" + page)

    assert [c.text for c in thread.comments] == page.split("\n\n")
    assert all(c.context == "" for c in thread.comments)


def test_list_lines_in_a_paste_without_blank_lines_join_the_line_above():
    thread = text.parse("Three levels:\n- researcher\n- agent\n- sub-agent\nSo two inner problems.")

    assert [c.text for c in thread.comments] == [
        "Three levels:\n- researcher\n- agent\n- sub-agent",
        "So two inner problems.",
    ]


def test_text_with_only_page_chrome_is_an_error():
    with pytest.raises(ImportFormatError, match="No comments found"):
        text.parse("Load More\n\nNew Comment\n3 comments, sorted by newest\n")
