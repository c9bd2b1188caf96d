"""The "reddit" format: a thread as Reddit's /comments/<id>.json returns it."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .base import MAX_ID, MAX_URL, ImportFormatError, ParsedComment, ParsedThread
from .html import html_to_text
from .tree import (
    DELETED_TEXT,
    drop_empty_leaves,
    expect_list,
    expect_object,
    load_json,
    optional_int,
    optional_str,
    order_replies,
    type_name,
)

FORMAT = "reddit"
SOURCE = "reddit"
SITE = "https://www.reddit.com"
REMOVED_TEXT = "[removed]"


@dataclass
class _Read:
    post: ParsedComment
    title: str
    comments: list[ParsedComment] = field(default_factory=list)
    missing: int = 0


def looks_like(data: Any) -> bool:
    """Whether decoded JSON has the shape of a Reddit thread, so auto-detection picks this."""
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and data[0].get("kind") == "Listing"
    )


def parse(content: str) -> ParsedThread:
    return parse_data(load_json(content))


def parse_data(data: Any) -> ParsedThread:
    read = _read(data)
    post_id = read.post.external_id

    def describe(external_id: str) -> str:
        return "the post" if external_id == post_id else f"comment {external_id!r}"

    ordered = order_replies([read.post, *read.comments], describe=describe)
    # drop_empty_leaves knows one placeholder; "[removed]" (by a moderator) is kept apart from
    # "[deleted]" (by the author) in what is stored, so it is swapped in and back.
    removed = {c.external_id for c in ordered if c.text == REMOVED_TEXT}
    kept = drop_empty_leaves(
        [replace(c, text=DELETED_TEXT) if c.external_id in removed else c for c in ordered]
    )
    kept = [replace(c, text=REMOVED_TEXT) if c.external_id in removed else c for c in kept]
    if not kept:
        raise ImportFormatError(f"Post {post_id!r} has no text and no comments to import.")
    return ParsedThread(
        source=SOURCE,
        external_id=post_id,
        title=read.title,
        source_url=read.post.url,
        comments=kept,
        # Unexpanded "more" stubs (load more comments, continue this thread) are not errors,
        # but the import says how many comments they leave out; a "continue this thread" stub
        # gives no count and hides at least one reply, counted as one.
        missing_comments=read.missing,
    )


def _read(data: Any) -> _Read:
    listings = expect_list(data, "The file")
    if not 1 <= len(listings) <= 2:
        raise ImportFormatError(
            f"The file should be a list of two listings (the post, then its comments), "
            f"not of {len(listings)}.",
            detail={"path": "$"},
        )
    posts = _children(listings[0], "$[0]")
    if len(posts) != 1:
        raise ImportFormatError(
            f"$[0].data.children should hold the post (one t3), not {len(posts)} items.",
            detail={"path": "$[0].data.children"},
        )
    post_path = "$[0].data.children[0]"
    post_data = _thing_data(posts[0], post_path, "t3")
    post_path += ".data"
    post_id = _required_id(post_data, post_path, "The post")
    post_url = _permalink(post_data, post_path)
    title = html.unescape(optional_str(post_data, "title", post_path)).strip()
    post = ParsedComment(
        external_id=post_id,
        # A post with neither body nor link is its title, e.g. a question asked in the title.
        text=_post_text(post_data, post_path, post_url) or title or DELETED_TEXT,
        author=_author(post_data, post_path),
        posted_at=_epoch(post_data, "created_utc", post_path),
        url=post_url,
        score=optional_int(post_data, "score", post_path),
    )
    read = _Read(post=post, title=title)
    if len(listings) == 2:
        _read_comments(listings[1], "$[1]", read)
    return read


def _read_comments(listing: Any, listing_path: str, read: _Read) -> None:
    post_id = read.post.external_id
    by_id: dict[str, str] = {post_id: "$[0].data.children[0]"}
    # An explicit stack, not recursion: a reply chain can be as deep as the file is long.
    # Children are pushed in reverse so comments come out in the file's order, replies
    # right after their parent.
    stack: list[tuple[Any, str, str]] = [
        (item, f"{listing_path}.data.children[{index}]", post_id)
        for index, item in reversed(list(enumerate(_children(listing, listing_path))))
    ]
    while stack:
        thing, path, nested_under = stack.pop()
        obj = expect_object(thing, path)
        if obj.get("kind") == "more":
            read.missing += _stub_count(expect_object(obj.get("data"), f"{path}.data"), path)
            continue
        obj_data = _thing_data(obj, path, "t1")
        path += ".data"
        comment_id = _required_id(obj_data, path, "A comment")
        if comment_id in by_id:
            raise ImportFormatError(
                f"Comment {comment_id!r} at {path} has the same id as the one at "
                f"{by_id[comment_id]}.",
                detail={"external_id": comment_id, "paths": [by_id[comment_id], path]},
            )
        by_id[comment_id] = path
        _check_link(obj_data, path, post_id)
        read.comments.append(
            ParsedComment(
                external_id=comment_id,
                text=_comment_text(obj_data, path),
                author=_author(obj_data, path),
                posted_at=_epoch(obj_data, "created_utc", path),
                parent_external_id=_parent(obj_data, path, post_id) or nested_under,
                url=_permalink(obj_data, path),
                score=optional_int(obj_data, "score", path),
            )
        )
        replies = obj_data.get("replies")
        # Reddit sends "" rather than an empty listing for a comment nobody replied to.
        if replies in (None, ""):
            continue
        replies_path = f"{path}.replies"
        stack.extend(
            (item, f"{replies_path}.data.children[{index}]", comment_id)
            for index, item in reversed(list(enumerate(_children(replies, replies_path))))
        )


def _children(listing: Any, path: str) -> list[Any]:
    obj = expect_object(listing, path)
    if obj.get("kind") != "Listing":
        raise ImportFormatError(
            f'{path}.kind should be "Listing", not {obj.get("kind")!r}.',
            detail={"path": f"{path}.kind"},
        )
    listing_data = expect_object(obj.get("data"), f"{path}.data")
    return expect_list(listing_data.get("children"), f"{path}.data.children")


def _thing_data(thing: Any, path: str, kind: str) -> dict[str, Any]:
    obj = expect_object(thing, path)
    if obj.get("kind") != kind:
        what = "the post" if kind == "t3" else 'a comment or a "more" stub'
        raise ImportFormatError(
            f'{path}.kind should be "{kind}" ({what}), not {obj.get("kind")!r}.',
            detail={"path": f"{path}.kind"},
        )
    return expect_object(obj.get("data"), f"{path}.data")


def _stub_count(stub: dict[str, Any], path: str) -> int:
    count = optional_int(stub, "count", f"{path}.data") or 0
    children = stub.get("children")
    ids = 0 if children is None else len(expect_list(children, f"{path}.data.children"))
    return max(count, ids, 1)


def _required_id(obj: dict[str, Any], path: str, what: str) -> str:
    value = obj.get("id")
    if value is None and isinstance(obj.get("name"), str):
        # "name" is the id with its kind prefix, e.g. "t1_kx2a9f".
        value = obj["name"].partition("_")[2]
    if not isinstance(value, str) or not value.strip():
        problem = "has no id"
        if value not in (None, ""):
            problem = f"has an id that is not a string: {value!r}"
        raise ImportFormatError(f"{what} at {path} {problem}.", detail={"path": f"{path}.id"})
    value = value.strip()
    if len(value) > MAX_ID:
        raise ImportFormatError(
            f"{what} at {path} has an id of {len(value)} characters; Reddit ids are short, "
            f"and at most {MAX_ID} are accepted.",
            detail={"path": f"{path}.id"},
        )
    return value


def _parent(obj: dict[str, Any], path: str, post_id: str) -> str | None:
    """The parent named by parent_id, which wins over nesting so flattened exports work too."""
    raw = optional_str(obj, "parent_id", path)
    if not raw:
        return None
    kind, _, parent_id = raw.partition("_")
    if kind not in ("t1", "t3") or not parent_id:
        raise ImportFormatError(
            f'{path}.parent_id should be "t1_<comment id>" or "t3_<post id>", not {raw!r}.',
            detail={"path": f"{path}.parent_id"},
        )
    if kind == "t3" and parent_id != post_id:
        raise ImportFormatError(
            f"The comment at {path} replies to post {parent_id!r}, not to post {post_id!r}.",
            detail={"path": f"{path}.parent_id"},
        )
    return parent_id


def _check_link(obj: dict[str, Any], path: str, post_id: str) -> None:
    link = optional_str(obj, "link_id", path)
    if link and link != f"t3_{post_id}":
        raise ImportFormatError(
            f"The comment at {path} belongs to {link!r}, not to the post t3_{post_id}.",
            detail={"path": f"{path}.link_id"},
        )


def _post_text(obj: dict[str, Any], path: str, post_url: str) -> str:
    text = _markdown_or_html(obj, path, "selftext", "selftext_html")
    if text:
        return text
    # A link post has no body; the link is what the post says.
    url = optional_str(obj, "url", path).strip()
    return url if url and url != post_url else ""


def _comment_text(obj: dict[str, Any], path: str) -> str:
    # Placeholder for an empty comment; dropped later unless replies hang from it.
    return _markdown_or_html(obj, path, "body", "body_html") or DELETED_TEXT


def _markdown_or_html(obj: dict[str, Any], path: str, markdown_key: str, html_key: str) -> str:
    # Reddit escapes &, < and > in its markdown unless asked for raw_json=1.
    text = html.unescape(optional_str(obj, markdown_key, path)).strip()
    if text in (DELETED_TEXT, REMOVED_TEXT):
        return text
    if text:
        return text
    markup = optional_str(obj, html_key, path).strip()
    # The HTML arrives escaped a second time ("&lt;div class="md"&gt;…") unless raw_json=1.
    if markup.startswith("&lt;"):
        markup = html.unescape(markup)
    return html_to_text(markup) if markup else ""


def _author(obj: dict[str, Any], path: str) -> str:
    return optional_str(obj, "author", path).strip() or DELETED_TEXT


def _epoch(obj: dict[str, Any], key: str, path: str) -> datetime | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ImportFormatError(
            f"{path}.{key} should be seconds since 1970 (a number), not {type_name(value)}.",
            detail={"path": f"{path}.{key}"},
        )
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise ImportFormatError(
            f"{path}.{key} is out of range: {value!r} seconds is not a date.",
            detail={"path": f"{path}.{key}"},
        ) from None


def _permalink(obj: dict[str, Any], path: str) -> str:
    permalink = optional_str(obj, "permalink", path).strip()
    if not permalink:
        return ""
    url = SITE + permalink if permalink.startswith("/") else permalink
    if not url.startswith(("https://", "http://")):
        raise ImportFormatError(
            f"{path}.permalink should be a path on reddit.com, not {permalink[:80]!r}.",
            detail={"path": f"{path}.permalink"},
        )
    if len(url) > MAX_URL:
        raise ImportFormatError(
            f"{path}.permalink is {len(url)} characters long; at most {MAX_URL} are accepted.",
            detail={"path": f"{path}.permalink"},
        )
    return url
