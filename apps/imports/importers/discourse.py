"""The "discourse" format: a Discourse topic as its /t/<id>.json endpoint returns it."""

from __future__ import annotations

import html
from typing import Any

from .base import ImportFormatError, ParsedComment, ParsedThread
from .html import html_to_text
from .tree import (
    DELETED_TEXT,
    drop_empty_leaves,
    expect_list,
    expect_object,
    load_json,
    optional_datetime,
    optional_int,
    optional_str,
    order_replies,
)

FORMAT = "discourse"
SOURCE = "discourse"
OPENING_POST = 1


def looks_like(data: Any) -> bool:
    """Whether decoded JSON has the shape of a Discourse topic, so auto-detection picks this."""
    return isinstance(data, dict) and "post_stream" in data


def parse(content: str) -> ParsedThread:
    return parse_data(load_json(content))


def parse_data(data: Any) -> ParsedThread:
    topic = expect_object(data, "The file")
    topic_id = optional_int(topic, "id", "topic")
    if topic_id is None:
        raise ImportFormatError("The topic has no id.", detail={"path": "id"})
    stream = expect_object(topic.get("post_stream"), "post_stream")
    items = expect_list(stream.get("posts"), "post_stream.posts")

    # Replies name their parent by post number; ids are what the comments are stored under.
    posts: dict[int, tuple[dict[str, Any], str, str]] = {}  # number -> (post, id, path)
    number_of_id: dict[int, int] = {}
    for index, item in enumerate(items):
        path = f"post_stream.posts[{index}]"
        post = expect_object(item, path)
        post_id = optional_int(post, "id", path)
        number = optional_int(post, "post_number", path)
        if post_id is None or number is None:
            missing = "id" if post_id is None else "post_number"
            raise ImportFormatError(f"The post at {path} has no {missing}.", detail={"path": path})
        if number in posts:
            first, _, first_path = posts[number]
            if (_text(first, first_path), first.get("id")) != (_text(post, path), post.get("id")):
                raise ImportFormatError(
                    f"Post #{number} appears twice with different content "
                    f"(at {first_path} and {path}).",
                    detail={"post_number": number, "paths": [first_path, path]},
                )
            continue
        if post_id in number_of_id:
            twin = number_of_id[post_id]
            raise ImportFormatError(
                f"Posts #{twin} and #{number} have the same id {post_id}.",
                detail={"id": post_id, "post_numbers": [twin, number]},
            )
        number_of_id[post_id] = number
        posts[number] = (post, str(post_id), path)

    if OPENING_POST not in posts:
        raise ImportFormatError(
            "The topic has no post #1 (the opening post), which the other posts reply to.",
            detail={"path": "post_stream.posts"},
        )

    comments: list[ParsedComment] = []
    for number, (post, post_id, path) in posts.items():
        parent: str | None = None
        if number != OPENING_POST:
            parent_number = optional_int(post, "reply_to_post_number", path) or OPENING_POST
            if parent_number not in posts:
                raise ImportFormatError(
                    f"Post #{number} replies to post #{parent_number}, which is not in the file.",
                    detail={"post_number": number, "reply_to_post_number": parent_number},
                )
            parent = posts[parent_number][1]
        comments.append(
            ParsedComment(
                external_id=post_id,
                # Placeholder for a deleted post; dropped later unless replies hang from it.
                text=_text(post, path) or DELETED_TEXT,
                author=optional_str(post, "username", path).strip()
                or optional_str(post, "name", path).strip()
                or DELETED_TEXT,
                posted_at=optional_datetime(post, "created_at", path),
                parent_external_id=parent,
            )
        )

    ordered = drop_empty_leaves(
        order_replies(comments, describe=lambda post_id: f"post #{number_of_id[int(post_id)]}")
    )
    if not ordered:
        raise ImportFormatError(f"Topic {topic_id} has no text to import.")
    url = optional_str(topic, "url", "topic")
    return ParsedThread(
        source=SOURCE,
        external_id=str(topic_id),
        # fancy_title is HTML-escaped ("&ldquo;"); title is the plain one.
        title=(
            optional_str(topic, "title", "topic")
            or html.unescape(optional_str(topic, "fancy_title", "topic"))
        ).strip(),
        source_url=url if url.startswith(("http://", "https://")) else "",
        comments=ordered,
    )


def _text(post: dict[str, Any], path: str) -> str:
    cooked = optional_str(post, "cooked", path)
    if cooked:
        return html_to_text(cooked)
    return optional_str(post, "raw", path).strip()
