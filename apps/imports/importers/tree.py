"""What every importer shares: the reply-tree check and order, and JSON readers that name paths."""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from apps.core.text import untextual

from .base import ImportFormatError, ParsedComment

DELETED_TEXT = "[deleted]"
# A post hidden by flags or moderators (Discourse): it exists, but its text is not shown.
HIDDEN_TEXT = "[hidden]"


def _quoted(external_id: str) -> str:
    return f"comment {external_id!r}"


def _upper_first(words: str) -> str:
    return words[:1].upper() + words[1:]


def order_replies(
    comments: Iterable[ParsedComment], *, describe: Callable[[str], str] = _quoted
) -> list[ParsedComment]:
    """Return the comments with every parent before its replies, otherwise in the given order.

    Raises ImportFormatError for a duplicate id, a parent that is not among the comments, or a
    reply cycle; `describe` turns an external id into the words the message uses for it.
    """
    comments = list(comments)
    index_of: dict[str, int] = {}
    for index, comment in enumerate(comments):
        if comment.external_id in index_of:
            raise ImportFormatError(
                f"{_upper_first(describe(comment.external_id))} appears twice.",
                detail={"external_id": comment.external_id},
            )
        index_of[comment.external_id] = index

    replies: dict[str, list[int]] = {}
    ready: list[int] = []
    for index, comment in enumerate(comments):
        parent = comment.parent_external_id
        if parent is None:
            ready.append(index)
        elif parent not in index_of:
            raise ImportFormatError(
                f"{_upper_first(describe(comment.external_id))} replies to {describe(parent)}, "
                "which is not in the file.",
                detail={"external_id": comment.external_id, "parent_external_id": parent},
            )
        else:
            replies.setdefault(parent, []).append(index)

    # Kahn's algorithm with the original position as priority: an already well-ordered list
    # comes back unchanged, and a reply listed before its parent moves down just enough.
    heapq.heapify(ready)
    ordered: list[ParsedComment] = []
    while ready:
        comment = comments[heapq.heappop(ready)]
        ordered.append(comment)
        for reply in replies.get(comment.external_id, ()):
            heapq.heappush(ready, reply)

    if len(ordered) < len(comments):
        placed = {comment.external_id for comment in ordered}
        start = next(c for c in comments if c.external_id not in placed)
        cycle = _cycle_from(start.external_id, {c.external_id: c for c in comments})
        names = " -> ".join(describe(external_id) for external_id in cycle)
        raise ImportFormatError(
            f"Replies form a cycle, so there is no first comment: {names}.",
            detail={"cycle": cycle},
        )
    return ordered


def _cycle_from(start: str, by_id: dict[str, ParsedComment]) -> list[str]:
    # Every unplaced comment leads, through its parents, into a cycle; walk until one repeats.
    seen: dict[str, int] = {}
    path: list[str] = []
    current: str | None = start
    while current is not None and current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = by_id[current].parent_external_id
    assert current is not None  # every parent exists, checked before
    return [*path[seen[current] :], current]


def drop_empty_leaves(comments: list[ParsedComment]) -> list[ParsedComment]:
    """Drop comments without text that nobody replied to; the rest must stay to hold the tree.

    Expects parents before replies (order_replies), so one backward pass sees replies first.
    """
    return split_empty_leaves(comments)[0]


def split_empty_leaves(
    comments: list[ParsedComment], placeholders: Collection[str] = (DELETED_TEXT,)
) -> tuple[list[ParsedComment], list[ParsedComment]]:
    """drop_empty_leaves, also returning what it dropped; a comment whose text is one of
    `placeholders` has no text of its own."""
    kept_parents: set[str] = set()
    keep: list[bool] = [False] * len(comments)
    for index in range(len(comments) - 1, -1, -1):
        comment = comments[index]
        if comment.text not in placeholders or comment.external_id in kept_parents:
            keep[index] = True
            if comment.parent_external_id is not None:
                kept_parents.add(comment.parent_external_id)
    pairs = list(zip(comments, keep, strict=True))
    return [c for c, kept in pairs if kept], [c for c, kept in pairs if not kept]


def load_json(content: str) -> Any:
    """Decode JSON, turning every failure into an ImportFormatError that says where it is."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise ImportFormatError(
            f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno}).",
            detail={"line": error.lineno, "column": error.colno},
        ) from None
    except RecursionError:
        raise ImportFormatError("The JSON is nested too deeply to import.") from None
    check_text_values(data)
    return data


def check_text_values(data: Any) -> None:
    """JSON escapes can smuggle in what no text column stores: NUL and lone surrogates."""
    problem = untextual(data)
    if problem is not None:
        path, what = problem
        raise ImportFormatError(f"{path} contains {what}.", detail={"path": path})


def type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def expect_object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ImportFormatError(
            f"{path} should be an object, not {type_name(value)}.", detail={"path": path}
        )
    return value


def expect_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ImportFormatError(
            f"{path} should be a list, not {type_name(value)}.", detail={"path": path}
        )
    return value


def web_url(url: str) -> str:
    """`url` if it is an http(s) address, else "": a link to a forum page is never a
    javascript: or data: URL, whatever the file says, so nothing downstream ever links to one."""
    url = url.strip()
    try:
        # urlsplit drops tabs and newlines inside the scheme, as browsers do ("java\tscript:").
        scheme = urlsplit(url).scheme
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""
    return url if scheme.lower() in ("http", "https") else ""


def optional_str(obj: dict[str, Any], key: str, path: str) -> str:
    """A string field that may be missing or null (read as "")."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportFormatError(
            f"{path}.{key} should be a string, not {type_name(value)}.",
            detail={"path": f"{path}.{key}"},
        )
    return value


def optional_int(obj: dict[str, Any], key: str, path: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    # bool is an int subclass; true/false is not a score or a post number.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not value.is_integer())  # also NaN and infinity
    ):
        raise ImportFormatError(
            f"{path}.{key} should be a whole number, not {value!r}.",
            detail={"path": f"{path}.{key}"},
        )
    if not -(2**31) <= value < 2**31:
        raise ImportFormatError(
            f"{path}.{key} is out of range: {int(value)} is not a plausible score or number.",
            detail={"path": f"{path}.{key}"},
        )
    return int(value)


def optional_bool(obj: dict[str, Any], key: str, path: str) -> bool:
    """A true/false flag that may be missing or null (read as false)."""
    value = obj.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ImportFormatError(
            f"{path}.{key} should be true or false, not {value!r}.",
            detail={"path": f"{path}.{key}"},
        )
    return value


def optional_datetime(obj: dict[str, Any], key: str, path: str) -> datetime | None:
    """An ISO 8601 timestamp; one without an offset is taken as UTC, as both APIs mean it."""
    raw = optional_str(obj, key, path)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ImportFormatError(
            f"{path}.{key} is not an ISO 8601 date and time: {raw!r}.",
            detail={"path": f"{path}.{key}"},
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
