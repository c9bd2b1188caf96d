"""The "discourse" format: a Discourse topic as its /t/<id>.json endpoint returns it, one page
or several (a list of pages, or one file per page)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .base import ImportFormatError, ParsedComment, ParsedThread
from .html import html_to_text
from .tree import (
    DELETED_TEXT,
    HIDDEN_TEXT,
    expect_list,
    expect_object,
    load_json,
    optional_bool,
    optional_datetime,
    optional_int,
    optional_str,
    order_replies,
    split_empty_leaves,
    type_name,
    web_url,
)

FORMAT = "discourse"
SOURCE = "discourse"
OPENING_POST = 1


@dataclass(frozen=True)
class _Post:
    data: dict[str, Any]
    id: int
    number: int
    path: str
    text: str
    # DELETED_TEXT or HIDDEN_TEXT when the post's own text is not to be imported.
    removed: str = ""


@dataclass(frozen=True)
class _Page:
    label: str  # what messages call the page
    prefix: str  # put before a path inside the page
    data: Any


def looks_like(data: Any) -> bool:
    """Whether decoded JSON has the shape of a Discourse topic (or a list of its pages), so
    auto-detection picks this."""
    if isinstance(data, list):
        return bool(data) and all(_is_page(item) for item in data)
    return isinstance(data, dict) and "post_stream" in data


def _is_page(value: Any) -> bool:
    # A page is the topic JSON, or its post_stream object alone.
    return isinstance(value, dict) and ("post_stream" in value or "posts" in value)


def parse(content: str) -> ParsedThread:
    return parse_data(load_json(content))


def parse_data(data: Any, *, names: Sequence[str] = ()) -> ParsedThread:
    """Parse one topic page, or a list of pages of one topic; `names` (one per page, e.g. the
    files they came from) replace the page's position in messages."""
    if not isinstance(data, list):
        return _parse_pages([_Page("The file", "", data)], several=False)
    if not data:
        raise ImportFormatError("The list of topic pages is empty.")
    labels = list(names) or [f"[{index}]" for index in range(len(data))]
    prefixes = [f"{name}: " for name in names] or [f"{label}." for label in labels]
    return _parse_pages(
        [_Page(*page) for page in zip(labels, prefixes, data, strict=True)], several=True
    )


def _parse_pages(pages: list[_Page], *, several: bool) -> ParsedThread:
    topic_id: int | None = None
    first_label = ""
    title = url = ""
    posts: dict[int, _Post] = {}  # by post id: pages overlap, and a post may be on two
    stream: set[int] = set()
    for page in pages:
        data = expect_object(page.data, page.label)
        topic_path = f"{page.prefix}topic"
        if several and "post_stream" not in data and "posts" in data:
            # A page saved as its post_stream object alone.
            topic: dict[str, Any] = {}
            stream_obj, stream_prefix = data, page.prefix
        else:
            topic, stream_prefix = data, f"{page.prefix}post_stream."
            stream_obj = expect_object(data.get("post_stream"), stream_prefix.rstrip("."))
        page_id = optional_int(topic, "id", topic_path)
        if page_id is not None:
            if topic_id is not None and page_id != topic_id:
                raise ImportFormatError(
                    f"The pages are from different topics: {first_label} is topic {topic_id}, "
                    f"{page.label} is topic {page_id}.",
                    detail={"topics": [topic_id, page_id]},
                )
            topic_id = page_id
        first_label = first_label or page.label
        # Every page repeats the title and URL; the first page that has them gives them.
        title = title or _title(topic, topic_path)
        url = url or optional_str(topic, "url", topic_path)
        stream.update(_stream(stream_obj, f"{stream_prefix}stream"))
        items = expect_list(stream_obj.get("posts"), f"{stream_prefix}posts")
        for index, item in enumerate(items):
            post = _post(item, f"{stream_prefix}posts[{index}]")
            post_topic = optional_int(post.data, "topic_id", post.path)
            if post_topic is not None:
                if topic_id is not None and post_topic != topic_id:
                    raise ImportFormatError(
                        f"The post at {post.path} belongs to topic {post_topic}, "
                        f"not to topic {topic_id}.",
                        detail={"path": post.path},
                    )
                topic_id = post_topic
            _add(posts, post)
    if topic_id is None:
        raise ImportFormatError("The topic has no id.", detail={"path": "id"})
    return _thread(topic_id, title, url, posts, stream, several=several)


def _post(item: Any, path: str) -> _Post:
    post = expect_object(item, path)
    post_id = optional_int(post, "id", path)
    number = optional_int(post, "post_number", path)
    if post_id is None or number is None:
        missing = "id" if post_id is None else "post_number"
        raise ImportFormatError(f"The post at {path} has no {missing}.", detail={"path": path})
    removed = ""
    # A post deleted by staff keeps its text for staff, and one its author withdrew is
    # replaced by a notice; a hidden (flagged) post is not shown to readers. None of these is
    # the post's text as the discussion sees it.
    if optional_str(post, "deleted_at", path) or optional_bool(post, "user_deleted", path):
        removed = DELETED_TEXT
    elif optional_bool(post, "hidden", path):
        removed = HIDDEN_TEXT
    return _Post(post, post_id, number, path, "" if removed else _text(post, path), removed)


def _add(posts: dict[int, _Post], post: _Post) -> None:
    first = posts.get(post.id)
    if first is None:
        posts[post.id] = post
        return
    if first.number != post.number:
        raise ImportFormatError(
            f"Posts #{first.number} and #{post.number} have the same id {post.id}.",
            detail={"id": post.id, "post_numbers": [first.number, post.number]},
        )
    if _content(first) == _content(post):
        return  # the same post on two overlapping pages
    # Pages fetched at different times can hold two versions of an edited post: the newer
    # one stands. Without a way to tell which is newer, the file is ambiguous.
    first_at = optional_datetime(first.data, "updated_at", first.path)
    post_at = optional_datetime(post.data, "updated_at", post.path)
    if first_at is None or post_at is None or first_at == post_at:
        raise ImportFormatError(
            f"Post #{post.number} appears twice with different content "
            f"(at {first.path} and {post.path}).",
            detail={"post_number": post.number, "paths": [first.path, post.path]},
        )
    if post_at > first_at:
        posts[post.id] = post


def _content(post: _Post) -> tuple[Any, ...]:
    return (post.text, post.removed, post.data.get("reply_to_post_number"))


def _thread(
    topic_id: int,
    title: str,
    url: str,
    posts: dict[int, _Post],
    stream: set[int],
    *,
    several: bool,
) -> ParsedThread:
    by_number: dict[int, _Post] = {}
    for post in sorted(posts.values(), key=lambda p: p.number):
        if post.number in by_number:
            twin = by_number[post.number]
            raise ImportFormatError(
                f"Posts {twin.id} and {post.id} both have the number #{post.number}.",
                detail={"post_number": post.number, "ids": [twin.id, post.id]},
            )
        by_number[post.number] = post
    if OPENING_POST not in by_number:
        raise ImportFormatError(
            "The topic has no post #1 (the opening post), which the other posts reply to.",
            detail={"path": "post_stream.posts"},
        )

    where = "files" if several else "file"
    comments: list[ParsedComment] = []
    for number, post in by_number.items():
        parent: str | None = None
        if number != OPENING_POST:
            parent_number = (
                optional_int(post.data, "reply_to_post_number", post.path) or OPENING_POST
            )
            if parent_number not in by_number:
                raise ImportFormatError(
                    f"Post #{number} replies to post #{parent_number}, which is not in the "
                    f"{where}.",
                    detail={"post_number": number, "reply_to_post_number": parent_number},
                )
            parent = str(by_number[parent_number].id)
        comments.append(
            ParsedComment(
                external_id=str(post.id),
                # A placeholder when the post has no text; dropped later unless replies hang
                # from it. Posts without text of their own are moderator actions ("closed").
                text=post.removed or post.text or DELETED_TEXT,
                author=optional_str(post.data, "username", post.path).strip()
                or optional_str(post.data, "name", post.path).strip()
                or DELETED_TEXT,
                posted_at=optional_datetime(post.data, "created_at", post.path),
                parent_external_id=parent,
            )
        )

    numbers = {str(post.id): number for number, post in by_number.items()}
    ordered = order_replies(comments, describe=lambda post_id: f"post #{numbers[post_id]}")
    kept, dropped = split_empty_leaves(ordered, (DELETED_TEXT, HIDDEN_TEXT))
    if not kept:
        raise ImportFormatError(f"Topic {topic_id} has no text to import.")
    removed = [post.removed for post in by_number.values()]
    return ParsedThread(
        source=SOURCE,
        external_id=str(topic_id),
        title=title,
        source_url=web_url(url),
        comments=kept,
        # The stream lists every post of the topic; a page holds twenty or so of them.
        missing_comments=len(stream - posts.keys()),
        deleted_comments=removed.count(DELETED_TEXT),
        hidden_comments=removed.count(HIDDEN_TEXT),
        withdrawn={c.external_id: c.text for c in dropped if posts[int(c.external_id)].removed},
    )


def _stream(stream_obj: dict[str, Any], path: str) -> list[int]:
    """The ids of every post in the topic, which the first page lists (`stream`)."""
    ids = stream_obj.get("stream")
    if ids is None:
        return []
    for index, value in enumerate(expect_list(ids, path)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ImportFormatError(
                f"{path}[{index}] should be a post id, not {type_name(value)}.",
                detail={"path": f"{path}[{index}]"},
            )
    return ids


def _title(topic: dict[str, Any], path: str) -> str:
    # fancy_title is HTML-escaped ("&ldquo;"); title is the plain one.
    title = optional_str(topic, "title", path)
    return (title or html.unescape(optional_str(topic, "fancy_title", path))).strip()


def _text(post: dict[str, Any], path: str) -> str:
    # cooked (the HTML readers see) is preferred to raw (the Markdown source, present with
    # ?include_raw=true): quotes and lists come out as on the page, and the text stays the same
    # whether or not the export asked for raw, so re-importing does not move claims.
    cooked = optional_str(post, "cooked", path)
    if cooked:
        return html_to_text(cooked)
    return optional_str(post, "raw", path).strip()
