"""The "forummagnum" importer: LessWrong / Alignment Forum / EA Forum GraphQL JSON."""

import copy
import dataclasses
import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.forum.models import Comment, Thread
from apps.glossary.models import Definition, DefinitionRevision, Term, TermAlias
from apps.imports.importers import forummagnum, parse_thread
from apps.imports.importers.base import ImportFormatError
from apps.imports.models import ImportJob
from tests.db_state import table_rows
from tests.factories import make_definition, make_term

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "forummagnum_post.json"
POST_ID = "pQx7Lm2RaT9kWe4Ns"


@pytest.fixture
def envelope() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def post_of(envelope: dict) -> dict:
    return envelope["data"]["post"]["result"]


def comments_of(envelope: dict) -> list:
    return envelope["data"]["comments"]["results"]


def parse(data) -> object:
    return forummagnum.parse(json.dumps(data))


def comment(_id: str, parent: str | None, html: str = "<p>inner alignment</p>") -> dict:
    return {"_id": _id, "parentCommentId": parent, "htmlBody": html, "user": {"username": "x"}}


def test_fixture_thread_fields(envelope):
    thread = parse(envelope)

    assert thread.source == "alignment_forum"
    assert thread.external_id == POST_ID
    assert thread.title == "Three readings of \u201couter alignment\u201d"
    assert thread.source_url == post_of(envelope)["pageUrl"]


def test_fixture_tree_shape_with_the_post_as_root(envelope):
    thread = parse(envelope)

    parents = {c.external_id: c.parent_external_id for c in thread.comments}
    assert parents == {
        POST_ID: None,
        "cA1xr8Ty": POST_ID,
        "cB2pq0Lm": "cA1xr8Ty",
        "cC3vv5Qe": "cB2pq0Lm",
        "cD4ab1Zz": "cC3vv5Qe",
        "cE5dd7Xy": POST_ID,
        "cF6kk2Wq": "cE5dd7Xy",
        "cH8mm4Uv": "cA1xr8Ty",
    }
    seen: set[str] = set()
    for c in thread.comments:
        assert c.parent_external_id is None or c.parent_external_id in seen
        seen.add(c.external_id)


def test_fixture_authors_dates_scores_and_urls(envelope):
    by_id = {c.external_id: c for c in parse(envelope).comments}

    assert by_id[POST_ID].author == "Ada Quill"
    assert by_id["cA1xr8Ty"].author == "Bram Oster"
    assert by_id["cF6kk2Wq"].author == "dana_p"  # empty displayName falls back to username
    assert by_id["cE5dd7Xy"].author == "[deleted]"  # user null
    assert by_id[POST_ID].posted_at == datetime(2024, 2, 11, 16, 5, tzinfo=UTC)
    assert by_id["cA1xr8Ty"].posted_at == datetime(2024, 2, 11, 17, 20, 3, 500000, tzinfo=UTC)
    assert all(c.posted_at.tzinfo is not None for c in by_id.values())
    assert by_id[POST_ID].score == 42 and by_id["cC3vv5Qe"].score == 12
    assert by_id["cA1xr8Ty"].url.endswith("?commentId=cA1xr8Ty")


def test_fixture_html_becomes_plain_text(envelope):
    by_id = {c.external_id: c for c in parse(envelope).comments}

    post = by_id[POST_ID].text
    assert all("<" not in c.text for c in by_id.values())
    assert "one another & nobody noticed." in post
    assert "\u201cin the limit of infinite data\u201d" in post
    assert "\n\n1. the reward is right on the training distribution;\n2. " in post
    assert "trackRead" not in post  # script content dropped
    assert "example.org" not in post and "Which one do you mean?" in post
    assert by_id["cB2pq0Lm"].text.endswith(
        "inner alignment failure \u2014 you would call it a robustness failure?"
    )
    assert by_id["cC3vv5Qe"].text.count("\n\n") == 1
    assert "- outer alignment in the limit of infinite data\n- " in by_id["cH8mm4Uv"].text
    # contents.markdown is taken as plain text.
    assert by_id["cD4ab1Zz"].text.startswith(
        'Only if the model is a mesa-optimizer at all. Without that, "learned'
    )


def test_deleted_comment_kept_only_when_it_has_replies(envelope):
    by_id = {c.external_id: c for c in parse(envelope).comments}

    assert by_id["cE5dd7Xy"].text == "[deleted]"
    assert "cG7nn3Rt" not in by_id


def test_deleted_chain_without_live_replies_is_dropped_entirely(envelope):
    deleted = {"deleted": True, "user": None, "contents": None}
    comments_of(envelope).extend(
        [
            {"_id": "dz1", "parentCommentId": None, **deleted},
            {"_id": "dz2", "parentCommentId": "dz1", **deleted},
        ]
    )

    ids = {c.external_id for c in parse(envelope).comments}

    assert "dz1" not in ids and "dz2" not in ids


def test_flat_envelope_with_a_comment_list():
    data = {
        "post": {
            "_id": "p1",
            "title": "Mesa",
            "pageUrl": "https://www.lesswrong.com/posts/p1/mesa",
            "contents": {"markdown": "Is a mesa-optimizer an optimizer?"},
        },
        "comments": [comment("c1", None), comment("c2", "c1")],
    }

    thread = parse(data)

    assert thread.source == "lesswrong"
    assert [c.external_id for c in thread.comments] == ["p1", "c1", "c2"]
    assert thread.comments[0].text == "Is a mesa-optimizer an optimizer?"


@pytest.mark.parametrize("comments", [[comment("c1", None)], {"results": [comment("c1", None)]}])
def test_comments_nested_in_the_post_result(comments):
    data = {
        "data": {"post": {"result": {"_id": "p1", "htmlBody": "<p>q</p>", "comments": comments}}}
    }

    assert [c.external_id for c in parse(data).comments] == ["p1", "c1"]


def test_post_without_comments():
    thread = parse(
        {"data": {"post": {"result": {"_id": "p1", "title": "Alone", "htmlBody": "<p>q</p>"}}}}
    )

    assert [(c.external_id, c.text, c.author) for c in thread.comments] == [
        ("p1", "q", "[deleted]")
    ]


@pytest.mark.parametrize(
    ("page_url", "source"),
    [
        ("https://www.lesswrong.com/posts/p1/x", "lesswrong"),
        ("https://www.alignmentforum.org/posts/p1/x", "alignment_forum"),
        ("https://forum.effectivealtruism.org/posts/p1/x", "ea_forum"),
        ("https://example.org/posts/p1/x", "lesswrong"),
        ("", "lesswrong"),
    ],
)
def test_source_from_the_page_url_host(page_url, source):
    data = {"post": {"_id": "p1", "htmlBody": "<p>q</p>", "pageUrl": page_url}, "comments": []}

    assert parse(data).source == source


@pytest.mark.parametrize(
    "page_url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "\tjava\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "/posts/p1/relative",
    ],
)
def test_a_page_url_that_is_not_a_web_address_is_dropped(page_url):
    post = {"_id": "p1", "htmlBody": "<p>q</p>", "pageUrl": page_url}
    reply = {**comment("c1", None), "pageUrl": page_url}

    thread = parse({"post": post, "comments": [reply]})

    assert thread.source_url == ""
    assert [c.url for c in thread.comments] == ["", ""]
    post["pageUrl"] = " HTTPS://www.lesswrong.com/posts/p1/x "
    assert parse({"post": post}).source_url == "HTTPS://www.lesswrong.com/posts/p1/x"


def test_a_reply_listed_before_its_parent_moves_after_it():
    data = {
        "post": {"_id": "p1", "htmlBody": "<p>q</p>"},
        "comments": [comment("c3", "c2"), comment("c1", None), comment("c2", "c1")],
    }

    assert [c.external_id for c in parse(data).comments] == ["p1", "c1", "c2", "c3"]


def test_the_same_comment_twice_is_imported_once(envelope):
    comments_of(envelope).append(copy.deepcopy(comments_of(envelope)[0]))

    ids = [c.external_id for c in parse(envelope).comments]

    assert ids.count("cA1xr8Ty") == 1


# --- errors ---------------------------------------------------------------------------------


def assert_error(data, *words: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse(data)
    for word in words:
        assert word in caught.value.message
    return caught.value


def test_post_without_id(envelope):
    del post_of(envelope)["_id"]

    assert_error(envelope, "post", "has no _id", "data.post.result")


def test_post_id_of_the_wrong_type(envelope):
    post_of(envelope)["_id"] = 17

    assert_error(envelope, "not a string", "17")


def test_comment_without_id(envelope):
    del comments_of(envelope)[2]["_id"]

    assert_error(envelope, "comment", "has no _id", "data.comments.results[2]")


def test_parent_not_in_the_file_names_both_ids(envelope):
    comments_of(envelope)[3]["parentCommentId"] = "gone99"

    error = assert_error(envelope, "cD4ab1Zz", "gone99", "not in the file")
    assert error.detail == {"external_id": "cD4ab1Zz", "parent_external_id": "gone99"}


def test_reply_cycle(envelope):
    comments_of(envelope)[0]["parentCommentId"] = "cC3vv5Qe"

    assert_error(envelope, "cycle", "cA1xr8Ty", "cB2pq0Lm", "cC3vv5Qe")


def test_comment_replying_to_itself(envelope):
    comments_of(envelope)[0]["parentCommentId"] = "cA1xr8Ty"

    assert_error(envelope, "cycle", "cA1xr8Ty")


def test_duplicate_id_with_different_content(envelope):
    twin = copy.deepcopy(comments_of(envelope)[1])
    twin["contents"] = {"html": "<p>robustness, not inner alignment</p>"}
    comments_of(envelope).append(twin)

    assert_error(envelope, "cB2pq0Lm", "twice", "different content", "results[1]", "results[8]")


def test_comment_with_the_post_id(envelope):
    comments_of(envelope)[0]["_id"] = POST_ID

    assert_error(envelope, "same _id as the post")


def test_comment_from_another_post(envelope):
    comments_of(envelope)[0]["postId"] = "otherPost"

    assert_error(envelope, "cA1xr8Ty", "otherPost", POST_ID)


@pytest.mark.parametrize("value", [{"_id": "c1"}, "c1", 3])
def test_comments_not_a_list(envelope, value):
    envelope["data"]["comments"]["results"] = value

    assert_error(envelope, "data.comments.results", "should be a list")


def test_comment_not_an_object(envelope):
    comments_of(envelope)[1] = ["cB2pq0Lm"]

    assert_error(envelope, "data.comments.results[1]", "should be an object")


def test_bad_date(envelope):
    comments_of(envelope)[0]["postedAt"] = "yesterday"

    assert_error(envelope, "postedAt", "ISO 8601", "yesterday")


@pytest.mark.parametrize(
    ("field", "value"), [("user", "bram"), ("htmlBody", 5), ("baseScore", "high")]
)
def test_wrong_field_types(envelope, field, value):
    comments_of(envelope)[0][field] = value

    assert_error(envelope, f"data.comments.results[0].{field}" if field != "user" else "user")


def test_no_post_in_the_envelope():
    assert_error({"data": {"comments": {"results": []}}}, "No post found")


def test_graphql_error_response():
    assert_error(
        {"errors": [{"message": "app.missing_document"}], "data": {"post": None}},
        "GraphQL",
        "missing_document",
    )


def test_a_comment_list_without_post_ids_names_no_post():
    assert_error([{"_id": "c1"}], "no comment has a postId")


# --- the post with its glossary, in every envelope ------------------------------------------

FIXTURES = FIXTURE.parent
GLOSSARY_POST = FIXTURES / "forummagnum_glossary_post.json"
COMMENTS_ONLY = FIXTURES / "forummagnum_comments.json"
G_POST = "gLs9Qw3eRt7YuI1oP"
G_URL = (
    "https://www.lesswrong.com/posts/gLs9Qw3eRt7YuI1oP/a-glossary-for-the-inner-alignment-debate"
)


def glossary_post() -> dict:
    return json.loads(GLOSSARY_POST.read_text(encoding="utf-8"))


def comment_list() -> list:
    return json.loads(COMMENTS_ONLY.read_text(encoding="utf-8"))


def envelopes() -> dict[str, dict]:
    """The same post and comments in each shape people save from the GraphQL API."""
    flat = glossary_post()
    post, comments = flat["post"], flat["comments"]
    return {
        "post and comments": flat,
        "data.post.result and data.comments.results": {
            "data": {"post": {"result": post}, "comments": {"results": comments}}
        },
        "comments inside the post result": {
            "data": {"post": {"result": {**post, "comments": {"results": comments}}}}
        },
        "a bare post with its comments": {**post, "comments": comments},
    }


@pytest.mark.parametrize("shape", list(envelopes()))
def test_every_envelope_gives_the_same_thread(shape):
    data = envelopes()[shape]

    thread = parse(data)

    assert parse_thread(json.dumps(data)) == thread
    # Only where the glossary entries are in the file differs.
    assert [e.path.rsplit(".", 1)[1] for e in thread.glossary] == [
        "glossary[0]",
        "glossary[1]",
        "glossary[2]",
    ]
    assert without_paths(thread) == without_paths(parse(glossary_post()))


def without_paths(thread):
    return dataclasses.replace(
        thread, glossary=[dataclasses.replace(e, path="") for e in thread.glossary]
    )


def test_glossary_post_thread_and_comments():
    thread = parse(glossary_post())
    by_id = {c.external_id: c for c in thread.comments}

    assert (thread.source, thread.external_id, thread.source_url) == ("lesswrong", G_POST, G_URL)
    assert thread.post_included
    assert [(c.external_id, c.parent_external_id) for c in thread.comments] == [
        (G_POST, None),
        ("kM1aa01", G_POST),
        ("kM1aa02", "kM1aa01"),  # deleted, kept because kM1aa03 replies to it
        ("kM1aa03", "kM1aa02"),
        ("kM1aa04", "kM1aa01"),  # its parent kM1zz99 is not in the file: under its top level
        ("kM1aa06", G_POST),
    ]
    assert by_id["kM1aa02"].text == "[deleted]"
    assert by_id["kM1aa02"].author == "Petra Quist"
    assert "admin export" not in " ".join(c.text for c in thread.comments)
    assert by_id["kM1aa06"].author == "quentin_h"
    # Comments without a pageUrl get the post's, as ForumMagnum links them.
    assert by_id["kM1aa06"].url == f"{G_URL}?commentId=kM1aa06"
    assert (thread.missing_comments, thread.deleted_comments) == (1, 2)
    assert thread.withdrawn == {"kM1aa05": "[deleted]"}


def test_glossary_entries_approved_are_read_and_the_rest_counted():
    thread = parse(glossary_post())

    assert [(e.term, e.aliases, e.author, e.path) for e in thread.glossary] == [
        (
            "mesa-optimizer",
            ("mesa-optimiser", "mesa optimizers", "inner optimizer"),
            "Ines Varga",
            "post.glossary[0]",
        ),
        ("base objective", (), "Ines Varga", "post.glossary[1]"),
        (
            "mesa-objective",
            ("mesa objective", "learned objective"),
            "Ines Varga",
            "post.glossary[2]",
        ),
    ]
    assert thread.glossary[1].text == (
        "The objective the training process optimises the model for, such as the loss or the "
        "reward function."
    )
    assert thread.glossary_skipped == 2  # one not approved, one deleted


def test_glossary_of_a_post_whose_author_is_gone_is_nobodys():
    data = glossary_post()
    data["post"]["user"] = None

    assert {entry.author for entry in parse(data).glossary} == {""}


def test_title_falls_back_to_the_slug():
    data = glossary_post()
    del data["post"]["title"]

    assert parse(data).title == "a glossary for the inner alignment debate"


def test_top_level_comment_id_stands_in_for_a_parent_not_saved():
    data = glossary_post()
    for item in data["comments"]:
        item.pop("parentCommentId", None)

    parents = {c.external_id: c.parent_external_id for c in parse(data).comments}

    assert parents["kM1aa03"] == parents["kM1aa04"] == "kM1aa01"
    assert parents["kM1aa01"] == parents["kM1aa06"] == G_POST


# --- comments without their post ------------------------------------------------------------


@pytest.mark.parametrize(
    "wrap",
    [
        lambda items: items,
        lambda items: {"comments": items},
        lambda items: {"data": {"comments": {"results": items}}},
    ],
    ids=["a bare list", "comments", "data.comments.results"],
)
def test_comments_without_their_post(wrap):
    data = wrap(comment_list())

    thread = parse(data)

    assert parse_thread(json.dumps(data)) == thread
    assert (thread.external_id, thread.source, thread.post_included) == (G_POST, "lesswrong", False)
    assert [(c.external_id, c.parent_external_id) for c in thread.comments] == [
        ("kM1aa01", None),
        ("kM1aa07", "kM1aa01"),
        ("kM1aa08", None),
    ]
    assert thread.glossary == [] and thread.title == ""


def test_comments_of_two_posts_are_refused():
    items = comment_list()
    items[2]["postId"] = "anotherPost"

    assert_error(items, "[2]", "belongs to post 'anotherPost'", G_POST)


def test_comments_without_post_ids_are_refused():
    items = comment_list()
    for item in items:
        del item["postId"]

    assert_error(items, "no comment has a postId", "save postId")


def test_an_empty_comment_list_without_a_post():
    assert_error({"comments": []}, "No post found", "empty")


# --- malformed glossaries -------------------------------------------------------------------


def with_entry(**fields) -> dict:
    data = glossary_post()
    data["post"]["glossary"].append(
        {"term": "robustness", "approved": True, "contents": {"html": "<p>x</p>"}, **fields}
    )
    return data


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"glossary": {"term": "x"}}, ("post.glossary", "should be a list")),
        ({"glossary": ["x"]}, ("post.glossary[0]", "should be an object")),
    ],
)
def test_glossary_of_the_wrong_shape(data, words):
    post = glossary_post()
    post["post"].update(data)

    assert_error(post, *words)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"approved": "yes"}, ("post.glossary[5].approved", "true or false")),
        ({"deleted": 0}, ("post.glossary[5].deleted", "true or false")),
        ({"term": "  "}, ("post.glossary[5]", "has no term")),
        ({"term": 7}, ("post.glossary[5].term", "should be a string")),
        ({"altTerms": "robust"}, ("post.glossary[5].altTerms", "should be a list")),
        ({"altTerms": ["ok", None]}, ("post.glossary[5].altTerms[1]", "should be a string")),
        ({"contents": "robust"}, ("post.glossary[5].contents", "should be an object")),
    ],
)
def test_glossary_entries_of_the_wrong_shape(fields, words):
    assert_error(with_entry(**fields), *words)


def test_an_unapproved_entry_is_not_checked_beyond_its_flags():
    thread = parse(with_entry(approved=False, term=7, altTerms="x"))

    assert thread.glossary_skipped == 3


def test_a_deleted_flag_of_the_wrong_type():
    data = glossary_post()
    data["comments"][0]["deleted"] = "no"

    assert_error(data, "comments[0].deleted", "true or false")


# --- stored: the glossary becomes terms, aliases and definitions ----------------------------

IMPORT = "/api/threads/import/"
GLOSSARY_MODELS = [Thread, Comment, Term, TermAlias, Definition, DefinitionRevision, ImportJob]
NO_GLOSSARY = {
    "terms_created": 0,
    "aliases_created": 0,
    "aliases_skipped": 0,
    "definitions_created": 0,
    "definitions_updated": 0,
}


def import_json(client, data) -> dict:
    response = client.post(IMPORT, {"content": json.dumps(data)}, format="json")
    assert response.status_code in (200, 201), response.json()
    return response.json()


def glossary_counts(body: dict) -> dict:
    return {key: body[key] for key in [*NO_GLOSSARY, "glossary_skipped"]}


def variants() -> dict[str, set[str]]:
    return {
        term.name: {alias.text for alias in term.variants.all()}
        for term in Term.objects.prefetch_related("variants")
    }


def test_approved_glossary_entries_become_terms_and_definitions(alice, api_client_for):
    body = import_json(api_client_for(alice), glossary_post())

    assert body["created"] is True
    assert glossary_counts(body) == {
        "terms_created": 3,
        # "mesa-optimiser" and "mesa optimizers" are spellings the term matches anyway.
        "aliases_created": 2,
        "aliases_skipped": 0,
        "definitions_created": 3,
        "definitions_updated": 0,
        "glossary_skipped": 2,
    }
    assert variants() == {
        "base objective": {"base objective"},
        "mesa-objective": {"mesa-objective", "learned objective"},
        "mesa-optimizer": {"mesa-optimizer", "inner optimizer"},
    }
    thread = Thread.objects.get()
    definition = Definition.objects.get(term__name="mesa-objective")
    assert definition.text == (
        "The objective a mesa-optimizer pursues, which training selects only indirectly."
    )
    assert (definition.proposed_by, definition.created_by, definition.source_thread) == (
        "Ines Varga",
        alice,
        thread,
    )
    assert not Term.objects.filter(name__in=["deceptive alignment", "pseudo-alignment"]).exists()


def test_reimporting_the_same_post_duplicates_nothing(alice, bob, api_client_for):
    import_json(api_client_for(alice), glossary_post())
    before = table_rows(GLOSSARY_MODELS[2:5])

    # Anyone who may write refreshes an existing thread (README: re-import by source id).
    body = import_json(api_client_for(bob), glossary_post())

    assert body["created"] is False
    assert glossary_counts(body) == {**NO_GLOSSARY, "glossary_skipped": 2}
    assert body["comments_created"] == body["comments_updated"] == 0
    assert table_rows(GLOSSARY_MODELS[2:5]) == before


def test_reimporting_an_edited_glossary_updates_in_place(alice, api_client_for):
    client = api_client_for(alice)
    import_json(client, glossary_post())
    definition = Definition.objects.get(term__name="base objective")
    data = glossary_post()
    entry = data["post"]["glossary"][1]
    entry["contents"]["html"] = "<p>What training optimises for: the loss, or the reward.</p>"
    entry["altTerms"] = ["outer objective"]
    data["post"]["glossary"][3]["approved"] = True  # the draft entry, approved since

    body = import_json(client, data)

    assert glossary_counts(body) == {
        "terms_created": 1,
        "aliases_created": 2,
        "aliases_skipped": 0,
        "definitions_created": 1,
        "definitions_updated": 1,
        "glossary_skipped": 1,
    }
    definition.refresh_from_db()
    assert definition.text == "What training optimises for: the loss, or the reward."
    assert definition.version == 2
    # The earlier text is kept as a revision of the definition.
    assert definition.revisions.get().text.startswith("The objective the training process")
    assert Definition.objects.filter(term=definition.term).count() == 1
    assert variants()["base objective"] == {"base objective", "outer objective"}
    assert variants()["deceptive alignment"] == {"deceptive alignment", "deceptively aligned"}


def test_terms_already_in_the_workspace_are_matched_by_any_variant(alice, bob, api_client_for):
    mesa = make_term(bob, "Mesa optimisers", aliases=["inner optimiser"])
    learned = make_term(bob, "learned objective")
    own = make_definition(bob, mesa, "An optimiser found by the outer optimiser.")
    own.proposed_by = "Ines Varga"
    own.save()

    body = import_json(api_client_for(alice), glossary_post())

    # "mesa-optimizer" is bob's term; "learned objective" stays a term of its own.
    assert glossary_counts(body) == {
        "terms_created": 2,
        "aliases_created": 0,
        "aliases_skipped": 1,
        "definitions_created": 3,
        "definitions_updated": 0,
        "glossary_skipped": 2,
    }
    assert variants()["Mesa optimisers"] == {"Mesa optimisers", "inner optimiser"}
    assert variants()["mesa-objective"] == {"mesa-objective"}
    assert learned.definitions.count() == 0
    # bob's definition of the same author's is his, and a re-import leaves it alone.
    assert set(mesa.definitions.values_list("source_thread", flat=True)) == {
        None,
        Thread.objects.get().id,
    }
    assert import_json(api_client_for(alice), glossary_post())["definitions_updated"] == 0
    own.refresh_from_db()
    assert own.text == "An optimiser found by the outer optimiser."


def test_an_entry_name_beats_another_entry_alias(alice, api_client_for):
    data = glossary_post()
    data["post"]["glossary"].append(
        {
            "term": "inner optimizers",
            "approved": True,
            "contents": {"html": "<p>The older name of a mesa-optimizer.</p>"},
        }
    )

    body = import_json(api_client_for(alice), data)

    assert (body["terms_created"], body["aliases_skipped"]) == (4, 1)
    assert variants()["mesa-optimizer"] == {"mesa-optimizer"}
    assert variants()["inner optimizers"] == {"inner optimizers"}


@pytest.mark.django_db
def test_command_reports_the_glossary():
    out = StringIO()
    call_command("import_thread", str(GLOSSARY_POST), stdout=out)

    assert (
        "glossary: 3 new terms, 2 new aliases (0 naming other terms left out), 3 new and 0"
        " updated definitions, 2 unapproved entries skipped"
    ) in out.getvalue()
    assert "1 comments are not in the file" in out.getvalue()
    assert "2 deleted and 0 hidden comments" in out.getvalue()
    assert Definition.objects.filter(created_by=None, proposed_by="Ines Varga").count() == 3


# --- stored: comments without their post ----------------------------------------------------


def test_comments_saved_later_join_the_post_imported_earlier(alice, api_client_for):
    client = api_client_for(alice)
    first = import_json(client, glossary_post())

    body = import_json(client, comment_list())

    assert body["thread"]["id"] == first["thread"]["id"]
    assert body["thread"]["title"] == "A glossary for the inner alignment debate"
    assert (body["comments_created"], body["comments_updated"]) == (2, 1)  # kM1aa01's score
    assert glossary_counts(body) == {**NO_GLOSSARY, "glossary_skipped": 0}
    post = Comment.objects.get(external_id=G_POST)
    assert post.position == 0 and post.parent is None
    assert Comment.objects.get(external_id="kM1aa08").parent == post
    assert Comment.objects.get(external_id="kM1aa07").parent.external_id == "kM1aa01"
    assert Comment.objects.get(external_id="kM1aa01").parent == post


def test_the_post_imported_after_its_comments_becomes_their_parent(alice, api_client_for):
    client = api_client_for(alice)
    first = import_json(client, comment_list())
    assert first["thread"]["title"] == "Untitled thread"
    assert Comment.objects.filter(parent=None).count() == 2

    body = import_json(client, glossary_post())

    assert body["thread"]["id"] == first["thread"]["id"]
    assert body["thread"]["title"] == "A glossary for the inner alignment debate"
    post = Comment.objects.get(external_id=G_POST)
    assert list(Comment.objects.filter(parent=None)) == [post]
    assert Comment.objects.get(external_id="kM1aa08").parent == post
    assert Thread.objects.count() == 1


def test_a_comment_deleted_since_the_last_import_loses_its_text(alice, api_client_for):
    client = api_client_for(alice)
    import_json(client, glossary_post())
    data = glossary_post()
    data["comments"][-1]["deleted"] = True

    body = import_json(client, data)

    assert (body["comments_updated"], body["deleted_comments"]) == (1, 3)
    assert Comment.objects.get(external_id="kM1aa06").text == "[deleted]"


# --- refused, and nothing written -----------------------------------------------------------


def refused_cases() -> dict[str, tuple[object, str]]:
    twin = glossary_post()
    twin["post"]["glossary"].append(
        {"term": "Mesa optimisers", "approved": True, "contents": {"html": "<p>again</p>"}}
    )
    long_term = with_entry(term="t" * 201)
    no_letters = with_entry(altTerms=["--"])
    orphans = comment_list()
    for item in orphans:
        del item["postId"]
    return {
        "two entries name one term": (
            twin,
            "post.glossary[5] and 'mesa-optimizer' at post.glossary[0] name the same term",
        ),
        "a term too long": (long_term, "at post.glossary[5] cannot name a term"),
        "an alias without letters": (no_letters, "The alias '--' at post.glossary[5]"),
        "comments without a post id": (orphans, "no comment has a postId"),
        "an approved flag of the wrong type": (
            with_entry(approved="true"),
            "post.glossary[5].approved should be true or false",
        ),
    }


@pytest.mark.parametrize("case", list(refused_cases()))
def test_bad_glossaries_and_comment_lists_are_refused(alice, api_client_for, case):
    client = api_client_for(alice)
    import_json(client, glossary_post())
    before = table_rows(GLOSSARY_MODELS)
    data, words = refused_cases()[case]

    response = client.post(IMPORT, {"content": json.dumps(data)}, format="json")

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert set(error) == {"code", "message", "detail"}
    assert words in error["message"], error
    assert table_rows(GLOSSARY_MODELS) == before
