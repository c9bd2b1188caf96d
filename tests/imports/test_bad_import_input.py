"""Bad import files, every format, through both doors: the API and `manage.py import_thread`.

Each case is a file the importers must refuse with a message naming the problem (a word the
message must contain) while writing nothing: through the API a 400 in the one error shape,
through the command a CommandError. JSON escapes stand for NUL and lone surrogates (a file of
raw bytes cannot hold a lone surrogate; raw NUL bytes are their own case).
"""

import io
import json
import sys
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from apps.annotations.models import Claim, Reading
from apps.forum.models import Comment, Thread
from apps.glossary.models import Definition, Term
from tests.db_state import row_counts, table_rows

pytestmark = pytest.mark.django_db

IMPORT = "/api/threads/import/"


def snapshot() -> dict[str, Any]:
    return {
        "rows": table_rows([Thread, Comment, Claim, Reading, Term, Definition]),
        "counts": row_counts(),
    }


# One small, valid thread per format; each case changes one thing.


def forummagnum(comments: list[dict[str, Any]] | None = None, **post: Any) -> str:
    result = {
        "_id": "p1",
        "title": "Outer alignment",
        "htmlBody": "<p>What is outer alignment?</p>",
        "user": {"displayName": "ada"},
        **post,
    }
    if comments is None:
        comments = [{"_id": "c1", "postId": "p1", "htmlBody": "<p>The reward is right.</p>"}]
    return json.dumps({"data": {"post": {"result": result}, "comments": {"results": comments}}})


def fm_reply(comment_id: str, parent: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "_id": comment_id,
        "postId": "p1",
        "parentCommentId": parent,
        "htmlBody": f"<p>Reply {comment_id}</p>",
        **fields,
    }


def discourse(posts: list[dict[str, Any]] | None = None, **topic: Any) -> str:
    opening = {"id": 70, "post_number": 1, "username": "ada", "cooked": "<p>What is it?</p>"}
    if posts is None:
        posts = [dc_post(71, 2, 1)]
    return json.dumps(
        {"id": 7, "title": "Outer alignment", "post_stream": {"posts": [opening, *posts]}, **topic}
    )


def dc_post(post_id: int, number: int, reply_to: Any = None, **fields: Any) -> dict[str, Any]:
    return {
        "id": post_id,
        "post_number": number,
        "reply_to_post_number": reply_to,
        "username": "ben",
        "cooked": f"<p>Post {number}</p>",
        **fields,
    }


def reddit(comments: list[dict[str, Any]] | None = None, **post: Any) -> str:
    data = {
        "id": "p1",
        "title": "Outer alignment",
        "selftext": "What is it?",
        "author": "ada",
        "permalink": "/r/alignment/comments/p1/outer/",
        **post,
    }
    if comments is None:
        comments = [rd_comment("c1")]
    listing = {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": data}]}}
    replies = {"kind": "Listing", "data": {"children": comments}}
    return json.dumps([listing, replies])


def rd_comment(comment_id: str, parent: str = "t3_p1", **fields: Any) -> dict[str, Any]:
    data = {
        "id": comment_id,
        "body": f"Reply {comment_id}",
        "author": "ben",
        "parent_id": parent,
        "link_id": "t3_p1",
        "replies": "",
        **fields,
    }
    return {"kind": "t1", "data": data}


def hackernews(children: list[dict[str, Any]] | None = None, **story: Any) -> str:
    if children is None:
        children = [hn_item(101)]
    item = {
        "id": 100,
        "type": "story",
        "title": "Outer alignment",
        "text": "What is it?",
        "author": "ada",
        "story_id": 100,
        "children": children,
        **story,
    }
    return json.dumps(item)


def hn_item(item_id: int, parent: int | None = 100, **fields: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "comment",
        "text": f"Reply {item_id}",
        "author": "ben",
        "parent_id": parent,
        "story_id": 100,
        "children": [],
        **fields,
    }


NUL = "\x00"
SURROGATE = "\ud800"  # json.dumps writes it as the escape \\ud800


def cut(document: str, fraction: float) -> str:
    return document[: int(len(document) * fraction)]


FM, DC, RD, HN = forummagnum(), discourse(), reddit(), hackernews()

BAD_IMPORTS = [
    # case, format (None: detected), content (str, or bytes for a file), word in the message
    # ---- ForumMagnum: the reply tree
    ("forummagnum comment that is its own parent", "forummagnum",
     forummagnum([fm_reply("c1", "c1")]), "cycle"),
    ("forummagnum two comments replying to each other", "forummagnum",
     forummagnum([fm_reply("c1", "c2"), fm_reply("c2", "c1")]), "cycle"),
    ("forummagnum three-comment reply cycle under a good reply", "forummagnum",
     forummagnum([fm_reply("c0"), fm_reply("c1", "c3"), fm_reply("c2", "c1"),
                  fm_reply("c3", "c2")]), "cycle"),
    ("forummagnum reply to a comment not in the file", "forummagnum",
     forummagnum([fm_reply("c1"), fm_reply("c2", "c9")]), "c9"),
    ("forummagnum same comment id twice, different text", "forummagnum",
     forummagnum([fm_reply("c1"), fm_reply("c1", htmlBody="<p>Edited</p>")]), "twice"),
    ("forummagnum same comment id twice, different parent", "forummagnum",
     forummagnum([fm_reply("c1"), fm_reply("c2"), fm_reply("c2", "c1")]), "twice"),
    ("forummagnum comment with the post's id", "forummagnum",
     forummagnum([fm_reply("p1")]), "p1"),
    ("forummagnum comment of another post", "forummagnum",
     forummagnum([fm_reply("c1", postId="p2")]), "p2"),
    # ---- ForumMagnum: fields of the wrong type or shape
    ("forummagnum comment without _id", "forummagnum",
     forummagnum([{"postId": "p1", "htmlBody": "<p>Reply</p>"}]), "_id"),
    ("forummagnum comment _id a number", "forummagnum", forummagnum([fm_reply(5)]), "_id"),
    ("forummagnum post _id blank", "forummagnum", forummagnum(_id="  "), "_id"),
    ("forummagnum htmlBody a list", "forummagnum",
     forummagnum([fm_reply("c1", htmlBody=["<p>Reply</p>"])]), "htmlBody"),
    ("forummagnum parentCommentId a number", "forummagnum",
     forummagnum([fm_reply("c1", 7)]), "parentCommentId"),
    ("forummagnum postedAt not a date", "forummagnum", forummagnum(postedAt="yesterday"),
     "postedAt"),
    ("forummagnum baseScore true", "forummagnum", forummagnum(baseScore=True), "baseScore"),
    ("forummagnum baseScore NaN as a string", "forummagnum", forummagnum(baseScore="NaN"),
     "baseScore"),
    ("forummagnum user a string", "forummagnum", forummagnum(user="ada"), "user"),
    ("forummagnum comments a string", "forummagnum",
     json.dumps({"data": {"post": {"result": {"_id": "p1", "htmlBody": "<p>Q</p>"}},
                          "comments": {"results": "none"}}}), "comments"),
    ("forummagnum comment a string", "forummagnum", forummagnum(["c1"]), "object"),
    ("forummagnum data null with errors", "forummagnum",
     json.dumps({"data": None, "errors": [{"message": "rate limited"}]}), "data"),
    ("forummagnum post a list", "forummagnum", json.dumps({"data": {"post": ["p1"]}}), "post"),
    # ---- ForumMagnum: text no column can hold
    ("forummagnum NUL in the title", "forummagnum", forummagnum(title=f"Outer{NUL}"), "NUL"),
    ("forummagnum NUL in a comment", "forummagnum",
     forummagnum([fm_reply("c1", htmlBody=f"<p>a{NUL}b</p>")]), "NUL"),
    ("forummagnum NUL in an author", "forummagnum",
     forummagnum(user={"displayName": f"ada{NUL}"}), "NUL"),
    ("forummagnum NUL in a comment id", "forummagnum", forummagnum([fm_reply(f"c{NUL}1")]),
     "NUL"),
    ("forummagnum lone surrogate in the post", "forummagnum",
     forummagnum(htmlBody=f"<p>a{SURROGATE}</p>"), "surrogate"),
    ("forummagnum lone surrogate in a key", "forummagnum",
     forummagnum([{**fm_reply("c1"), f"k{SURROGATE}": 1}]), "surrogate"),
    # ---- Discourse
    ("discourse post replying to itself", "discourse", discourse([dc_post(71, 2, 2)]),
     "cycle"),
    ("discourse two posts replying to each other", "discourse",
     discourse([dc_post(71, 2, 3), dc_post(72, 3, 2)]), "cycle"),
    ("discourse reply to a post not in the file", "discourse", discourse([dc_post(71, 2, 9)]),
     "#9"),
    ("discourse reply to post -1", "discourse", discourse([dc_post(71, 2, -1)]), "#-1"),
    ("discourse same post number twice, different text", "discourse",
     discourse([dc_post(71, 2, 1), dc_post(71, 2, 1, cooked="<p>Edited</p>")]), "twice"),
    ("discourse two posts with one id", "discourse",
     discourse([dc_post(71, 2, 1), dc_post(71, 3, 1)]), "same id"),
    ("discourse no opening post", "discourse",
     json.dumps({"id": 7, "post_stream": {"posts": [dc_post(71, 2, 1)]}}), "#1"),
    ("discourse topic without id", "discourse", discourse(id=None), "id"),
    ("discourse topic id a string", "discourse", discourse(id="seven"), "id"),
    ("discourse post without post_number", "discourse", discourse([dc_post(71, None)]),
     "post_number"),
    ("discourse post id true", "discourse", discourse([dc_post(True, 2)]), "id"),
    ("discourse reply_to_post_number a word", "discourse", discourse([dc_post(71, 2, "one")]),
     "reply_to_post_number"),
    ("discourse posts an object", "discourse",
     json.dumps({"id": 7, "post_stream": {"posts": {"1": {}}}}), "posts"),
    ("discourse post_stream a list", "discourse", json.dumps({"id": 7, "post_stream": []}),
     "post_stream"),
    ("discourse cooked a number", "discourse", discourse([dc_post(71, 2, 1, cooked=42)]),
     "cooked"),
    ("discourse created_at not a date", "discourse",
     discourse([dc_post(71, 2, 1, created_at="2024-13-45")]), "created_at"),
    ("discourse NUL in a post", "discourse", discourse([dc_post(71, 2, 1, cooked=f"a{NUL}")]),
     "NUL"),
    ("discourse NUL in a username", "discourse",
     discourse([dc_post(71, 2, 1, username=f"ben{NUL}")]), "NUL"),
    ("discourse lone surrogate in the title", "discourse", discourse(title=f"T{SURROGATE}"),
     "surrogate"),
    # ---- Reddit
    ("reddit comment that is its own parent", "reddit", reddit([rd_comment("c1", "t1_c1")]),
     "cycle"),
    ("reddit two comments replying to each other", "reddit",
     reddit([rd_comment("c1", "t1_c2"), rd_comment("c2", "t1_c1")]), "cycle"),
    ("reddit reply to a comment not in the file", "reddit",
     reddit([rd_comment("c1", "t1_ghost")]), "ghost"),
    ("reddit same comment id twice", "reddit", reddit([rd_comment("c1"), rd_comment("c1")]),
     "same id"),
    ("reddit nested reply with a taken id", "reddit",
     reddit([rd_comment("c1", replies={"kind": "Listing", "data": {"children": [
         rd_comment("c1", "t1_c1")]}})]), "same id"),
    ("reddit parent_id of an unknown kind", "reddit", reddit([rd_comment("c1", "t5_c0")]),
     "parent_id"),
    ("reddit parent_id without an id", "reddit", reddit([rd_comment("c1", "t1_")]),
     "parent_id"),
    ("reddit reply to another post", "reddit", reddit([rd_comment("c1", "t3_zz")]), "zz"),
    ("reddit comment linked to another post", "reddit",
     reddit([rd_comment("c1", link_id="t3_other")]), "t3_other"),
    ("reddit three listings", "reddit", json.dumps([*json.loads(RD), json.loads(RD)[1]]),
     "two listings"),
    ("reddit listing of the wrong kind", "reddit",
     json.dumps([{"kind": "Listing", "data": {"children": []}}]), "t3"),
    ("reddit post of kind t1", "reddit",
     RD.replace('"kind": "t3"', '"kind": "t1"'), "t3"),
    ("reddit comment of kind t3", "reddit", reddit([{"kind": "t3", "data": {"id": "c1"}}]),
     "t1"),
    ("reddit created_utc a string", "reddit", reddit(created_utc="yesterday"), "created_utc"),
    ("reddit created_utc beyond any date", "reddit", reddit(created_utc=1e20), "out of range"),
    ("reddit permalink a script", "reddit", reddit(permalink="javascript:alert(1)"),
     "permalink"),
    ("reddit comment id a number", "reddit", reddit([rd_comment(7)]), "id"),
    ("reddit body a list", "reddit", reddit([rd_comment("c1", body=["Reply"])]), "body"),
    ("reddit NUL in a comment", "reddit", reddit([rd_comment("c1", body=f"a{NUL}b")]), "NUL"),
    ("reddit NUL in the title", "reddit", reddit(title=f"Outer{NUL}"), "NUL"),
    ("reddit lone surrogate in an author", "reddit",
     reddit([rd_comment("c1", author=f"ben{SURROGATE}")]), "surrogate"),
    # ---- Hacker News
    ("hackernews item that is its own parent", "hackernews",
     hackernews([hn_item(101, 101)]), "cycle"),
    ("hackernews two items replying to each other", "hackernews",
     hackernews([hn_item(101, 102), hn_item(102, 101)]), "cycle"),
    ("hackernews reply to an item not in the file", "hackernews",
     hackernews([hn_item(101, 999)]), "999"),
    ("hackernews same item id twice", "hackernews", hackernews([hn_item(101), hn_item(101)]),
     "same id"),
    ("hackernews nested child with the story's id", "hackernews",
     hackernews([hn_item(101, children=[hn_item(100, 101)])]), "same id"),
    ("hackernews reply of another story", "hackernews",
     hackernews([hn_item(101, story_id=5)]), "story 5"),
    ("hackernews item id negative", "hackernews", hackernews([hn_item(-4)]), "positive"),
    ("hackernews item id a word", "hackernews", hackernews([hn_item("abc")]), "id"),
    ("hackernews item without id", "hackernews",
     hackernews([{"type": "comment", "text": "Reply", "children": []}]), "no id"),
    ("hackernews children an object", "hackernews",
     hackernews([hn_item(101, children={"102": {}})]), "children"),
    ("hackernews parent_id a word", "hackernews", hackernews([hn_item(101, "story")]),
     "parent_id"),
    ("hackernews text a number", "hackernews", hackernews([hn_item(101, text=7)]), "text"),
    ("hackernews created_at not a date", "hackernews", hackernews(created_at="soon"),
     "created_at"),
    ("hackernews points true", "hackernews", hackernews(points=True), "points"),
    ("hackernews NUL in a reply", "hackernews", hackernews([hn_item(101, text=f"a{NUL}")]),
     "NUL"),
    ("hackernews NUL in the title", "hackernews", hackernews(title=f"Outer{NUL}"), "NUL"),
    ("hackernews lone surrogate in an author", "hackernews",
     hackernews(author=f"ada{SURROGATE}"), "surrogate"),
    # ---- Each format's file cut short, at several points (the format named, or detected)
    *[(f"{name} file cut at {int(f * 100)}%", fmt, cut(doc, f), "JSON")
      for name, fmt, doc in [("forummagnum", "forummagnum", FM), ("discourse", "discourse", DC),
                             ("reddit", "reddit", RD), ("hackernews", "hackernews", HN)]
      for f in (0.1, 0.35, 0.6, 0.85, 0.99)],
    *[(f"{name} file cut at {int(f * 100)}%, format detected", None, cut(doc, f), "JSON")
      for name, doc in [("forummagnum", FM), ("discourse", DC), ("reddit", RD),
                        ("hackernews", HN)]
      for f in (0.5, 0.95)],
    # ---- A format named for a file of another format, or of none
    ("forummagnum named for a Discourse topic", "forummagnum", DC, "post"),
    ("discourse named for a ForumMagnum post", "discourse", FM, "post_stream"),
    ("reddit named for a Hacker News item", "reddit", HN, "list"),
    ("hackernews named for a Reddit thread", "hackernews", RD, "object"),
    ("JSON object of no known format", None, '{"thread": {"posts": []}}', "format"),
    ("JSON list of numbers", None, "[1, 2, 3]", "format"),
    ("JSON nested 100,000 lists deep", None, "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("JSON with a trailing comma", "discourse", DC[:-1] + ",}", "JSON"),
    # ---- Files that are not text
    ("text file with a NUL byte", "text", b"Outer alignment\x00 means", "NUL"),
    ("text file in UTF-16", "text", "Outer alignment means".encode("utf-16"), "UTF-8"),
    ("text file in Latin-1", None, "Négation of outer alignment".encode("latin-1"), "UTF-8"),
    ("JSON file with an invalid UTF-8 byte", "forummagnum", FM.encode()[:40] + b"\xff" +
     FM.encode()[40:], "UTF-8"),
    ("file of a byte order mark and spaces", None, "\ufeff \n\t ".encode(), "empty"),
    ("binary file", None, bytes(range(256)), "UTF-8"),
]  # fmt: skip


def _upload(content: str | bytes) -> dict[str, Any]:
    if isinstance(content, bytes):
        return {"file": SimpleUploadedFile("thread", content)}
    return {"content": content}


@pytest.mark.parametrize(
    ("case", "format", "content", "word"), BAD_IMPORTS, ids=[row[0] for row in BAD_IMPORTS]
)
def test_bad_file_is_refused_by_the_api(alice_client, case, format, content, word):
    alice_client.raise_request_exception = False
    body = {**_upload(content), **({"format": format} if format else {})}
    before = snapshot()

    response = alice_client.post(
        IMPORT, body, format="multipart" if isinstance(content, bytes) else "json"
    )

    assert response.status_code == 400, response.content[:500]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "detail"}
    assert word.lower() in error["message"].lower(), error
    assert snapshot() == before, "a refused import changed data"


def import_file(tmp_path, content: str | bytes, *args: str) -> None:
    path = tmp_path / "thread"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    call_command("import_thread", str(path), *args, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("case", "format", "content", "word"), BAD_IMPORTS, ids=[row[0] for row in BAD_IMPORTS]
)
def test_bad_file_is_refused_by_the_command(tmp_path, case, format, content, word):
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, content, *(["--format", format] if format else []))

    assert word.lower() in str(refused.value).lower()
    assert snapshot() == before, "a refused import changed data"


# What only the command line can get wrong.

COMMAND_ONLY = [
    # case, arguments after the file (a file of this content, None: no such file), word
    ("no such file", None, (), "Cannot read"),
    ("a directory instead of a file", "dir", (), "Cannot read"),
    ("unknown workspace", "Outer alignment.", ("--workspace", "nowhere"), "nowhere"),
    ("unknown format", "Outer alignment.", ("--format", "myspace"), "myspace"),
    ("export format as import format", "Outer alignment.", ("--format", "csv"), "csv"),
    ("file over the size limit", "Outer alignment. " * 10, (), "limit"),
    ("standard input empty", "-", (), "empty"),
]


@pytest.mark.parametrize(
    ("case", "content", "args", "word"), COMMAND_ONLY, ids=[row[0] for row in COMMAND_ONLY]
)
def test_command_mistakes_are_refused(tmp_path, monkeypatch, settings, case, content, args, word):
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "thread.txt"
    if content == "dir":
        path = tmp_path
    elif content == "-":
        path = "-"
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    elif content is not None:
        path.write_text(content)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("import_thread", str(path), *args, stdout=io.StringIO())

    assert word.lower() in str(refused.value).lower()
    assert snapshot() == before
