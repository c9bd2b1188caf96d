"""The "hackernews" format: a Hacker News item with its replies from the Algolia items API."""

from __future__ import annotations

from datetime import UTC, datetime
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

FORMAT = "hackernews"
SOURCE = "hackernews"
ITEM_URL = "https://news.ycombinator.com/item?id={}"
_ITEM_TYPES = frozenset({"story", "comment", "poll", "pollopt", "job"})


def looks_like(data: Any) -> bool:
    """Whether decoded JSON has the shape of an Algolia item, so auto-detection picks this."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("children"), list)
        and ("story_id" in data or data.get("type") in _ITEM_TYPES)
    )


def parse(content: str) -> ParsedThread:
    return parse_data(load_json(content))


def parse_data(data: Any) -> ParsedThread:
    item = expect_object(data, "The file")
    path = "$"
    root_id = _required_id(item, path, "The item")
    story_id = optional_int(item, "story_id", path)
    url = optional_str(item, "url", path).strip()
    root = ParsedComment(
        external_id=root_id,
        # A link story has no text of its own; the link is what it says.
        text=_text(item, path) or url or DELETED_TEXT,
        author=_author(item, path),
        posted_at=_posted_at(item, path),
        url=ITEM_URL.format(root_id),
        score=optional_int(item, "points", path),
    )
    comments = [root]
    paths = {root_id: path}
    # An explicit stack, not recursion: a reply chain can be as deep as the file is long.
    # Children are pushed in reverse so items come out in the file's order, replies right
    # after their parent.
    stack = _children_of(item, path, root_id)
    while stack:
        child, path, nested_under = stack.pop()
        obj = expect_object(child, path)
        item_id = _required_id(obj, path, "A reply")
        if item_id in paths:
            raise ImportFormatError(
                f"Item {item_id} at {path} has the same id as the one at {paths[item_id]}.",
                detail={"external_id": item_id, "paths": [paths[item_id], path]},
            )
        paths[item_id] = path
        child_story = optional_int(obj, "story_id", path)
        if story_id is not None and child_story is not None and child_story != story_id:
            raise ImportFormatError(
                f"Item {item_id} at {path} belongs to story {child_story}, not to story "
                f"{story_id}.",
                detail={"path": f"{path}.story_id"},
            )
        # parent_id wins over nesting, so a flattened export keeps its tree.
        parent = optional_int(obj, "parent_id", path)
        comments.append(
            ParsedComment(
                external_id=item_id,
                # Placeholder for a dead or deleted item; dropped later unless it has replies.
                text=_text(obj, path) or DELETED_TEXT,
                author=_author(obj, path),
                posted_at=_posted_at(obj, path),
                parent_external_id=str(parent) if parent is not None else nested_under,
                url=ITEM_URL.format(item_id),
                score=optional_int(obj, "points", path),
            )
        )
        stack.extend(_children_of(obj, path, item_id))

    def describe(external_id: str) -> str:
        return "the story" if external_id == root_id else f"item {external_id}"

    ordered = drop_empty_leaves(order_replies(comments, describe=describe))
    if not ordered:
        raise ImportFormatError(f"Item {root_id} has no text and no replies to import.")
    return ParsedThread(
        source=SOURCE,
        external_id=root_id,
        title=optional_str(item, "title", "$").strip(),
        source_url=ITEM_URL.format(root_id),
        comments=ordered,
    )


def _children_of(obj: dict[str, Any], path: str, item_id: str) -> list[tuple[Any, str, str]]:
    children = obj.get("children")
    if children is None:
        return []
    children = expect_list(children, f"{path}.children")
    return [
        (child, f"{path}.children[{index}]", item_id)
        for index, child in reversed(list(enumerate(children)))
    ]


def _required_id(obj: dict[str, Any], path: str, what: str) -> str:
    if obj.get("id") is None:
        raise ImportFormatError(f"{what} at {path} has no id.", detail={"path": f"{path}.id"})
    item_id = optional_int(obj, "id", path)
    if item_id is None or item_id <= 0:
        raise ImportFormatError(
            f"{what} at {path} has an id that is not a positive number: {obj['id']!r}.",
            detail={"path": f"{path}.id"},
        )
    return str(item_id)


def _text(obj: dict[str, Any], path: str) -> str:
    # Dead (killed by flags or moderators) and deleted items are hidden on the site too.
    if obj.get("deleted") is True or obj.get("dead") is True:
        return ""
    markup = optional_str(obj, "text", path)
    return html_to_text(markup) if markup.strip() else ""


def _author(obj: dict[str, Any], path: str) -> str:
    return optional_str(obj, "author", path).strip() or DELETED_TEXT


def _posted_at(obj: dict[str, Any], path: str) -> datetime | None:
    posted_at = optional_datetime(obj, "created_at", path)
    if posted_at is not None:
        return posted_at
    # created_at_i is the same moment in seconds, for files that carry only that.
    seconds = optional_int(obj, "created_at_i", path)
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None
