"""The "discourse" importer: a Discourse topic's JSON."""

import copy
import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from apps.forum.models import Comment, Thread
from apps.imports.importers import ImportFile, discourse, parse_files, parse_thread
from apps.imports.importers.base import ImportFormatError
from apps.imports.models import ImportJob
from tests.db_state import table_rows
from tests.factories import make_claim

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "discourse_topic.json"


@pytest.fixture
def topic() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def posts_of(topic: dict) -> list:
    return topic["post_stream"]["posts"]


def parse(data):
    return discourse.parse(json.dumps(data))


def test_fixture_thread_fields(topic):
    thread = parse(topic)

    assert thread.source == "discourse"
    assert thread.external_id == "4821"
    assert thread.title == "Is \u201cobjective robustness\u201d just inner alignment?"
    assert thread.source_url == ""


def test_fixture_tree_shape(topic):
    thread = parse(topic)

    assert [(c.external_id, c.parent_external_id) for c in thread.comments] == [
        ("30101", None),
        ("30102", "30101"),  # reply_to_post_number null: a reply to the opening post
        ("30105", "30102"),
        ("30107", "30105"),
        ("30110", "30101"),
        ("30111", "30110"),
    ]


def test_fixture_authors_dates_and_text(topic):
    by_id = {c.external_id: c for c in parse(topic).comments}

    assert by_id["30101"].author == "mira_h"
    assert by_id["30102"].author == "oskar"
    assert by_id["30101"].posted_at == datetime(2024, 3, 5, 10, 12, 44, 120000, tzinfo=UTC)
    assert all("<" not in c.text for c in by_id.values())
    assert by_id["30101"].text.endswith(
        "off-distribution.\n\nIs there any case where they come apart?"
    )
    assert "\u201cinner alignment\u201d has drifted" in by_id["30107"].text
    assert by_id["30107"].text.endswith(
        "\n\n1. the mesa-objective matches the base objective"
        "\n2. the behaviour stays good under distribution shift"
    )


def test_deleted_post_with_a_reply_is_kept_and_an_empty_action_is_dropped(topic):
    by_id = {c.external_id: c for c in parse(topic).comments}

    assert by_id["30110"].text == "[deleted]"
    assert "30112" not in by_id


def test_raw_is_used_when_there_is_no_cooked_html(topic):
    del posts_of(topic)[1]["cooked"]
    posts_of(topic)[1]["raw"] = "Inner alignment **needs** a mesa-optimizer."

    by_id = {c.external_id: c for c in parse(topic).comments}

    assert by_id["30102"].text == "Inner alignment **needs** a mesa-optimizer."


def test_fancy_title_is_unescaped_when_title_is_missing(topic):
    del topic["title"]

    assert parse(topic).title == "Is \u201cobjective robustness\u201d just inner alignment?"


def test_posts_out_of_order_are_reordered(topic):
    posts_of(topic).reverse()

    ids = [c.external_id for c in parse(topic).comments]

    assert ids.index("30101") < ids.index("30102") < ids.index("30105") < ids.index("30107")


def test_the_same_post_twice_is_imported_once(topic):
    posts_of(topic).append(copy.deepcopy(posts_of(topic)[2]))

    assert [c.external_id for c in parse(topic).comments].count("30105") == 1


# --- errors ---------------------------------------------------------------------------------


def assert_error(data, *words: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse(data)
    for word in words:
        assert word in caught.value.message
    return caught.value


def test_reply_to_a_post_not_in_the_file_names_both_numbers(topic):
    posts_of(topic)[3]["reply_to_post_number"] = 12

    assert_error(topic, "Post #4", "post #12", "not in the file")


def test_reply_cycle(topic):
    posts_of(topic)[1]["reply_to_post_number"] = 4

    assert_error(topic, "cycle", "post #2", "post #3", "post #4")


def test_no_opening_post(topic):
    del posts_of(topic)[0]

    assert_error(topic, "no post #1", "opening post")


def test_duplicate_post_number_with_different_content(topic):
    twin = copy.deepcopy(posts_of(topic)[2])
    twin["cooked"] = "<p>robustness is something else</p>"
    posts_of(topic).append(twin)

    assert_error(topic, "Post #3", "twice", "different content", "posts[2]", "posts[7]")


def test_duplicate_post_id_on_two_numbers(topic):
    posts_of(topic)[2]["id"] = 30102

    assert_error(topic, "Posts #2 and #3", "same id 30102")


@pytest.mark.parametrize("missing", ["id", "post_number"])
def test_post_without_id_or_number(topic, missing):
    del posts_of(topic)[1][missing]

    assert_error(topic, "post_stream.posts[1]", f"has no {missing}")


def test_post_number_of_the_wrong_type(topic):
    posts_of(topic)[1]["post_number"] = "two"

    assert_error(topic, "post_stream.posts[1].post_number", "whole number")


def test_posts_not_a_list(topic):
    topic["post_stream"]["posts"] = {"1": posts_of(topic)[0]}

    assert_error(topic, "post_stream.posts", "should be a list")


def test_missing_post_stream(topic):
    del topic["post_stream"]

    assert_error(topic, "post_stream", "should be an object")


def test_topic_without_id(topic):
    del topic["id"]

    assert_error(topic, "topic has no id")


def test_bad_date(topic):
    posts_of(topic)[0]["created_at"] = "5 March"

    assert_error(topic, "created_at", "ISO 8601")


# --- raw, hidden and deleted posts ----------------------------------------------------------

PAGES = [FIXTURE.parent / "discourse_pages_1.json", FIXTURE.parent / "discourse_pages_2.json"]


def load_pages() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in PAGES]


def whole_topic() -> dict:
    """The two pages as one file, every post once."""
    first, second = load_pages()
    first["post_stream"]["posts"] += second["post_stream"]["posts"][1:]
    return first


def test_cooked_is_preferred_to_raw_so_include_raw_changes_no_text():
    topic = whole_topic()
    without_raw = copy.deepcopy(topic)
    for post in posts_of(without_raw):
        del post["raw"]

    by_id = {c.external_id: c for c in parse(topic).comments}

    assert parse(topic) == parse(without_raw)
    assert by_id["41006"].text.startswith("alba_r:\n\n")  # the quote as readers see it
    assert "[quote=" not in by_id["41006"].text and "**" not in by_id["41001"].text


def test_raw_markdown_stands_in_for_missing_cooked_html():
    topic = whole_topic()
    for post in posts_of(topic):
        post["cooked"] = None

    by_id = {c.external_id: c for c in parse(topic).comments}

    assert (
        by_id["41002"].text
        == "The first. The second is just *robustness failure* with a story attached."
    )


def test_hidden_and_deleted_posts_keep_the_tree_without_their_text():
    thread = parse(whole_topic())
    by_id = {c.external_id: c for c in thread.comments}

    assert [(c.external_id, c.parent_external_id) for c in thread.comments] == [
        ("41001", None),
        ("41002", "41001"),
        ("41003", "41002"),  # hidden, replied to
        ("41004", "41003"),
        ("41006", "41001"),
        ("41007", "41006"),  # deleted by a moderator, replied to
        ("41008", "41007"),
    ]
    assert by_id["41003"].text == "[hidden]"
    assert by_id["41007"].text == "[deleted]"
    assert by_id["41003"].author == "cmoss"  # who wrote it is still shown, as on the forum
    texts = " ".join(c.text for c in thread.comments)
    assert "Flagged" not in texts and "moderator removed" not in texts
    assert "post deleted by author" not in texts
    assert (thread.deleted_comments, thread.hidden_comments) == (2, 2)
    # Left out because nobody replied; a copy imported earlier loses its text.
    assert thread.withdrawn == {"41005": "[deleted]", "41009": "[hidden]"}
    assert thread.missing_comments == 0


@pytest.mark.parametrize(
    ("field", "value"), [("hidden", "yes"), ("user_deleted", 1), ("deleted_at", True)]
)
def test_removal_flags_of_the_wrong_type(field, value):
    topic = whole_topic()
    posts_of(topic)[1][field] = value

    assert_error(topic, f"post_stream.posts[1].{field}")


# --- several pages --------------------------------------------------------------------------


def test_a_list_of_pages_is_merged_deduplicated_and_ordered_by_post_number():
    pages = load_pages()

    merged = discourse.parse_data(pages)
    backwards = discourse.parse_data(list(reversed(load_pages())))

    assert merged == backwards == parse(whole_topic())
    assert merged.title == "What do we mean by \u201cgoal misgeneralisation\u201d?"
    assert merged.source_url.endswith("/5190")


def test_a_list_of_pages_is_detected():
    content = json.dumps(load_pages())

    assert parse_thread(content) == parse_thread(content, "discourse") == parse(whole_topic())


def test_pages_saved_as_post_stream_objects_alone():
    pages = [page["post_stream"] for page in load_pages()]

    thread = discourse.parse_data(pages)

    # The topic id comes from the posts' topic_id; the title is not in a post_stream.
    assert (thread.external_id, thread.title) == ("5190", "")
    assert thread.comments == parse(whole_topic()).comments


def test_files_are_pages_of_one_topic():
    files = [ImportFile(path.name, path.read_bytes()) for path in PAGES]

    assert parse_files(files) == parse_files(files, "discourse") == parse(whole_topic())


def test_the_first_page_alone_reports_the_posts_it_leaves_out():
    thread = parse(load_pages()[0])

    assert [c.external_id for c in thread.comments] == ["41001", "41002", "41003", "41004"]
    assert thread.missing_comments == 4  # posts 6 to 9, listed in the stream


def test_the_newer_of_two_versions_of_an_edited_post_stands():
    first, second = load_pages()
    edited = second["post_stream"]["posts"][0] = copy.deepcopy(posts_of(first)[1])
    edited["cooked"] = "<p>The first, and only the first.</p>"
    edited["updated_at"] = "2024-06-12T09:00:00.000Z"

    for pages in ([first, second], [second, first]):
        by_id = {c.external_id: c for c in discourse.parse_data(copy.deepcopy(pages)).comments}
        assert by_id["41002"].text == "The first, and only the first."


def test_two_versions_of_a_post_that_cannot_be_ordered_are_refused():
    first, second = load_pages()
    edited = second["post_stream"]["posts"][0] = copy.deepcopy(posts_of(first)[1])
    edited["cooked"] = "<p>The first, and only the first.</p>"

    with pytest.raises(ImportFormatError) as caught:
        discourse.parse_data([first, second])

    message = caught.value.message
    assert "Post #2 appears twice" in message
    assert "[0].post_stream.posts[1]" in message and "[1].post_stream.posts[0]" in message


def test_pages_of_two_topics_are_refused_by_file_name():
    files = [ImportFile(path.name, path.read_bytes()) for path in PAGES]
    other = json.loads(files[1].content)
    other["id"] = 7777
    files[1] = ImportFile("other.json", json.dumps(other))

    with pytest.raises(ImportFormatError) as caught:
        parse_files(files)

    assert caught.value.message == (
        "The pages are from different topics: discourse_pages_1.json is topic 5190, "
        "other.json is topic 7777."
    )


def test_a_post_of_another_topic_is_refused():
    pages = load_pages()
    pages[1]["post_stream"]["posts"][2]["topic_id"] = 9

    with pytest.raises(ImportFormatError) as caught:
        discourse.parse_data(pages)

    assert "[1].post_stream.posts[2] belongs to topic 9, not to topic 5190" in (
        caught.value.message
    )


def test_two_posts_with_one_number_are_refused():
    pages = load_pages()
    pages[1]["post_stream"]["posts"][3]["post_number"] = 2

    with pytest.raises(ImportFormatError) as caught:
        discourse.parse_data(pages)

    assert caught.value.message == "Posts 41002 and 41008 both have the number #2."


def test_a_reply_to_a_post_on_a_page_not_given():
    with pytest.raises(ImportFormatError) as caught:
        parse_files([ImportFile(PAGES[1].name, PAGES[1].read_bytes())] * 2)

    assert "no post #1" in caught.value.message


@pytest.mark.parametrize(
    ("pages", "words"),
    [
        ([], "list of topic pages is empty"),
        ([{"post_stream": {"posts": []}}, ["not", "a", "page"]], "[1] should be an object"),
        ([{"post_stream": {"posts": [], "stream": ["41001"]}}], "stream[0] should be a post id"),
    ],
)
def test_malformed_lists_of_pages(pages, words):
    with pytest.raises(ImportFormatError) as caught:
        discourse.parse_data(pages)

    assert words in caught.value.message


def test_a_file_that_is_not_a_page_is_named():
    files = [
        ImportFile("page1.json", PAGES[0].read_bytes()),
        ImportFile("notes.json", b'{"hello": "world"}'),
    ]

    with pytest.raises(ImportFormatError) as caught:
        parse_files(files)

    assert caught.value.message.startswith("notes.json is not a page of a Discourse topic")


def test_broken_json_in_one_file_is_named():
    files = [
        ImportFile("page1.json", PAGES[0].read_bytes()),
        ImportFile("page2.json", b'{"post_stream": '),
    ]

    with pytest.raises(ImportFormatError) as caught:
        parse_files(files)

    assert caught.value.message.startswith("page2.json: The file is not valid JSON")
    assert caught.value.detail["file"] == "page2.json"


def test_several_files_of_another_format_are_refused():
    files = [ImportFile(path.name, path.read_bytes()) for path in PAGES]

    with pytest.raises(ImportFormatError) as caught:
        parse_files(files, "reddit")

    assert "only as the pages of one Discourse topic" in caught.value.message


# --- stored: the command, the API, re-import ------------------------------------------------

IMPORT = "/api/threads/import/"
KEPT = ["41001", "41002", "41003", "41004", "41006", "41007", "41008"]


def run_command(*paths) -> str:
    out = StringIO()
    call_command("import_thread", *map(str, paths), stdout=out)
    return out.getvalue()


def uploads(*named: tuple[str, bytes]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, content, "application/json") for name, content in named]


def page_uploads() -> list[SimpleUploadedFile]:
    return uploads(*((path.name, path.read_bytes()) for path in PAGES))


def stored() -> dict[str, tuple[str, str | None]]:
    return {
        c.external_id: (c.text, c.parent.external_id if c.parent else None)
        for c in Comment.objects.select_related("parent").order_by("position")
    }


@pytest.mark.django_db
def test_command_imports_pages_as_one_topic_and_reimports_without_changes():
    first = run_command(*PAGES)

    assert first.startswith("Imported thread")
    assert "comments: 7 new, 0 updated, 0 unchanged" in first
    assert "2 deleted and 2 hidden comments: their text is not imported" in first
    assert list(stored()) == KEPT
    assert stored()["41003"] == ("[hidden]", "41002")

    again = run_command(*reversed(PAGES))

    assert again.startswith("Updated thread")
    assert "comments: 0 new, 0 updated, 7 unchanged" in again
    assert Thread.objects.count() == 1 and Comment.objects.count() == 7


@pytest.mark.django_db
def test_command_refuses_a_second_file_that_is_no_page(tmp_path):
    notes = tmp_path / "notes.json"
    notes.write_text('{"hello": 1}')

    with pytest.raises(CommandError, match=r"/notes.json is not a page of a Discourse topic"):
        run_command(PAGES[0], notes)
    with pytest.raises(CommandError, match="Standard input"):
        run_command(PAGES[0], "-")
    assert Thread.objects.count() == Comment.objects.count() == 0


def test_api_imports_several_files_as_the_pages_of_one_topic(alice, api_client_for):
    client = api_client_for(alice)

    response = client.post(IMPORT, {"file": page_uploads()}, format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["thread"]["comment_count"] == body["comments_created"] == 7
    assert (body["deleted_comments"], body["hidden_comments"], body["missing_comments"]) == (
        2,
        2,
        0,
    )
    assert list(stored()) == KEPT

    again = client.post(IMPORT, {"file": page_uploads()}, format="multipart")

    assert again.status_code == 200, again.json()
    assert (again.json()["comments_created"], again.json()["comments_unchanged"]) == (0, 7)
    assert Comment.objects.count() == 7


def test_api_imports_one_page_then_the_rest_in_place(alice, api_client_for):
    client = api_client_for(alice)
    first = client.post(IMPORT, {"file": page_uploads()[:1]}, format="multipart").json()
    assert (first["comments_created"], first["missing_comments"]) == (4, 4)

    rest = client.post(IMPORT, {"file": page_uploads()}, format="multipart")

    assert rest.status_code == 200, rest.json()
    assert (rest.json()["comments_created"], rest.json()["comments_unchanged"]) == (3, 4)
    assert rest.json()["thread"]["id"] == first["thread"]["id"]
    assert list(stored()) == KEPT


def test_background_import_of_several_files(
    alice, api_client_for, django_capture_on_commit_callbacks
):
    client = api_client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT, {"file": page_uploads(), "background": True}, format="multipart"
        )

    assert response.status_code == 202, response.json()
    job = client.get(f"/api/import-jobs/{response.json()['id']}/").json()
    assert (job["status"], job["comments_total"]) == ("done", 7)
    assert job["result"]["hidden_comments"] == 2
    assert list(stored()) == KEPT


def test_a_post_deleted_since_the_last_import_loses_its_text(alice, api_client_for):
    client = api_client_for(alice)
    topic = whole_topic()
    client.post(IMPORT, {"content": json.dumps(topic)}, format="json")
    claim = make_claim(alice, Comment.objects.get(external_id="41008"), "mesa-optimizer")

    post = posts_of(topic)[-2]  # #8, the only reply to #7, which a moderator deleted
    post.update(deleted_at="2024-06-20T00:00:00.000Z", cooked="<p>(deleted)</p>")
    response = client.post(IMPORT, {"content": json.dumps(topic)}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    # #7 and #8 are left out now that nobody replies to them; #8 had text to lose.
    assert (body["comments_updated"], body["comments_unchanged"]) == (1, 5)
    assert (body["claims_orphaned"], body["deleted_comments"]) == (1, 3)
    assert Comment.objects.get(external_id="41007").text == "[deleted]"
    # Kept, without its text: the claim on it is orphaned rather than lost.
    assert Comment.objects.get(external_id="41008").text == "[deleted]"
    claim.refresh_from_db()
    assert claim.anchor == "orphaned"


# --- refused, and nothing written -----------------------------------------------------------

SNAPSHOT = [Thread, Comment, ImportJob]


def assert_refused(response, word: str, before: dict) -> None:
    assert response.status_code == 400, response.content[:500]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "detail"}
    assert word in error["message"], error
    assert table_rows(SNAPSHOT) == before


def bad_pages() -> dict[str, list[SimpleUploadedFile]]:
    first, second = (path.read_bytes() for path in PAGES)
    other_topic = json.loads(second)
    other_topic["id"] = 7777
    return {
        "a file that is no page": uploads(("p1.json", first), ("notes.json", b'{"a": 1}')),
        "broken JSON in the second file": uploads(("p1.json", first), ("p2.json", b"{")),
        "an empty second file": uploads(("p1.json", first), ("p2.json", b"")),
        "a second file not UTF-8": uploads(("p1.json", first), ("p2.json", b"\xff\xfe{")),
    }


WORDS = {
    "a file that is no page": "notes.json is not a page",
    "broken JSON in the second file": "p2.json: The file is not valid JSON",
    "an empty second file": "p2.json is empty",
    "a second file not UTF-8": "p2.json: The file is not UTF-8",
}


@pytest.mark.parametrize("case", list(WORDS))
@pytest.mark.parametrize("background", [False, True])
def test_bad_pages_are_refused_by_file_name(alice, api_client_for, case, background):
    client = api_client_for(alice)
    client.post(IMPORT, {"content": FIXTURE.read_text(encoding="utf-8")}, format="json")
    before = table_rows(SNAPSHOT)

    response = client.post(
        IMPORT, {"file": bad_pages()[case], "background": background}, format="multipart"
    )

    assert_refused(response, WORDS[case], before)


def test_pages_of_two_topics_are_refused(alice, api_client_for, django_capture_on_commit_callbacks):
    first, second = (json.loads(path.read_bytes()) for path in PAGES)
    second["id"] = 7777
    files = uploads(
        ("p1.json", json.dumps(first).encode()), ("p2.json", json.dumps(second).encode())
    )
    client = api_client_for(alice)
    before = table_rows(SNAPSHOT)

    response = client.post(IMPORT, {"file": files}, format="multipart")

    assert_refused(response, "p1.json is topic 5190, p2.json is topic 7777", before)
    # In the background the pages are checked by the worker, and the job says why it failed.
    for upload in files:
        upload.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(IMPORT, {"file": files, "background": True}, format="multipart")
    job = client.get(f"/api/import-jobs/{queued.json()['id']}/").json()
    assert job["status"] == "failed"
    assert "[0] is topic 5190, [1] is topic 7777" in job["error"]["message"]
    assert Thread.objects.count() == 0


def test_several_files_in_another_format_are_refused(alice, api_client_for):
    before = table_rows(SNAPSHOT)

    response = api_client_for(alice).post(
        IMPORT, {"file": page_uploads(), "format": "forummagnum"}, format="multipart"
    )

    assert_refused(response, "only as the pages of one Discourse topic", before)


def test_hidden_flag_of_the_wrong_type_is_refused(alice, api_client_for):
    topic = whole_topic()
    posts_of(topic)[2]["hidden"] = "true"
    before = table_rows(SNAPSHOT)

    response = api_client_for(alice).post(IMPORT, {"content": json.dumps(topic)}, format="json")

    assert_refused(response, "post_stream.posts[2].hidden should be true or false", before)
