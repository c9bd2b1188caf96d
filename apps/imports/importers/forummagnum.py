"""The "forummagnum" format: GraphQL JSON from LessWrong, the Alignment Forum and the EA Forum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .base import MAX_ID, MAX_URL, ImportFormatError, ParsedComment, ParsedThread
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

FORMAT = "forummagnum"
DEFAULT_SOURCE = "lesswrong"
# Checked as the host or a parent domain of it, so www. and subdomains count.
_SOURCES = {
    "lesswrong.com": "lesswrong",
    "alignmentforum.org": "alignment_forum",
    "forum.effectivealtruism.org": "ea_forum",
}


@dataclass(frozen=True)
class _Post:
    data: dict[str, Any]
    path: str


def looks_like(data: Any) -> bool:
    """Whether decoded JSON has the shape of a ForumMagnum post, so auto-detection picks this."""
    if not isinstance(data, dict) or "post_stream" in data:  # post_stream: a Discourse topic
        return False
    if isinstance(data.get("data"), dict):
        data = data["data"]
    return isinstance(data.get("post"), dict) or isinstance(data.get("_id"), str)


def parse(content: str) -> ParsedThread:
    return parse_data(load_json(content))


def parse_data(data: Any) -> ParsedThread:
    post, comments, comments_path = _unwrap(data)
    post_id = _required_id(post.data, post.path, "The post")
    page_url = _url(post.data, post.path)

    root = ParsedComment(
        external_id=post_id,
        text=_text(post.data, post.path) or DELETED_TEXT,
        author=_author(post.data, post.path),
        posted_at=optional_datetime(post.data, "postedAt", post.path),
        url=page_url,
        score=optional_int(post.data, "baseScore", post.path),
    )
    parsed = [root, *_comments(comments, comments_path, post_id)]

    def describe(external_id: str) -> str:
        return "the post" if external_id == post_id else f"comment {external_id!r}"

    ordered = drop_empty_leaves(order_replies(parsed, describe=describe))
    if not ordered:
        raise ImportFormatError(f"Post {post_id!r} has no text and no comments to import.")
    return ParsedThread(
        source=_source(page_url),
        external_id=post_id,
        title=optional_str(post.data, "title", post.path).strip(),
        source_url=page_url,
        comments=ordered,
    )


def _unwrap(data: Any) -> tuple[_Post, list[Any], str]:
    """Find the post and its comment list in any of the envelopes the GraphQL API produces."""
    top = expect_object(data, "The file")
    prefix = ""
    if "data" in top:
        top, prefix = expect_object(top["data"], "data"), "data."
    if not isinstance(top.get("post"), dict) and data.get("errors"):
        raise ImportFormatError(f"The file is a GraphQL error response: {data['errors']!r:.200}.")

    if "post" in top:
        post_path = f"{prefix}post"
        post_data = expect_object(top["post"], post_path)
        if "result" in post_data:
            post_path += ".result"
            post_data = expect_object(post_data["result"], post_path)
    elif "_id" in top:
        # A bare post object: the "result" of a single-post query on its own.
        post_path, post_data = prefix.rstrip(".") or "post", top
    else:
        raise ImportFormatError(
            "No post found: expected a ForumMagnum post under data.post.result or post."
        )

    if "comments" in top:
        holder, holder_path = top, prefix.rstrip(".")
    else:
        holder, holder_path = post_data, post_path
    comments_path = f"{holder_path}.comments" if holder_path else "comments"
    comments = holder.get("comments")
    if comments is None:
        return _Post(post_data, post_path), [], comments_path
    if isinstance(comments, dict) and "results" in comments:
        comments_path += ".results"
        comments = comments["results"]
    return _Post(post_data, post_path), expect_list(comments, comments_path), comments_path


def _comments(items: list[Any], path: str, post_id: str) -> list[ParsedComment]:
    by_id: dict[str, tuple[ParsedComment, str]] = {}
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        obj = expect_object(item, item_path)
        comment_id = _required_id(obj, item_path, "A comment")
        if comment_id == post_id:
            raise ImportFormatError(
                f"Comment {comment_id!r} at {item_path} has the same _id as the post.",
                detail={"path": item_path},
            )
        comment_post = optional_str(obj, "postId", item_path)
        if comment_post and comment_post != post_id:
            raise ImportFormatError(
                f"Comment {comment_id!r} at {item_path} belongs to post {comment_post!r}, "
                f"not to post {post_id!r}.",
                detail={"path": item_path},
            )
        text = _text(obj, item_path)
        comment = ParsedComment(
            external_id=comment_id,
            # Placeholder for a deleted comment; dropped later unless replies hang from it.
            text=text or DELETED_TEXT,
            author=_author(obj, item_path),
            posted_at=optional_datetime(obj, "postedAt", item_path),
            parent_external_id=optional_str(obj, "parentCommentId", item_path) or post_id,
            url=_url(obj, item_path),
            score=optional_int(obj, "baseScore", item_path),
        )
        if comment_id in by_id:
            # The same comment fetched twice (pages of results overlap) is harmless.
            first, first_path = by_id[comment_id]
            if (first.text, first.parent_external_id) != (
                comment.text,
                comment.parent_external_id,
            ):
                raise ImportFormatError(
                    f"Comment {comment_id!r} appears twice with different content "
                    f"(at {first_path} and {item_path}).",
                    detail={"external_id": comment_id, "paths": [first_path, item_path]},
                )
            continue
        by_id[comment_id] = (comment, item_path)
    return [comment for comment, _ in by_id.values()]


def _required_id(obj: dict[str, Any], path: str, what: str) -> str:
    value = obj.get("_id")
    if not isinstance(value, str) or not value.strip():
        problem = "has no _id"
        if value not in (None, ""):
            problem = f"has an _id that is not a string: {value!r}"
        raise ImportFormatError(f"{what} at {path} {problem}.", detail={"path": f"{path}._id"})
    if len(value.strip()) > MAX_ID:
        raise ImportFormatError(
            f"{what} at {path} has an _id of {len(value.strip())} characters; "
            f"ForumMagnum ids are short, and at most {MAX_ID} are accepted.",
            detail={"path": f"{path}._id"},
        )
    return value.strip()


def _url(obj: dict[str, Any], path: str) -> str:
    url = optional_str(obj, "pageUrl", path)
    if len(url) > MAX_URL:
        raise ImportFormatError(
            f"{path}.pageUrl is {len(url)} characters long; at most {MAX_URL} are accepted.",
            detail={"path": f"{path}.pageUrl"},
        )
    return url


def _text(obj: dict[str, Any], path: str) -> str:
    html = optional_str(obj, "htmlBody", path)
    if html:
        return html_to_text(html)
    contents = obj.get("contents")
    if contents is None:
        return ""
    contents = expect_object(contents, f"{path}.contents")
    html = optional_str(contents, "html", f"{path}.contents")
    if html:
        return html_to_text(html)
    return optional_str(contents, "markdown", f"{path}.contents").strip()


def _author(obj: dict[str, Any], path: str) -> str:
    user = obj.get("user")
    if user is None:
        return DELETED_TEXT
    user = expect_object(user, f"{path}.user")
    name = optional_str(user, "displayName", f"{path}.user") or optional_str(
        user, "username", f"{path}.user"
    )
    return name.strip() or DELETED_TEXT


def _source(page_url: str) -> str:
    try:
        host = (urlsplit(page_url).hostname or "").lower()
    except ValueError:  # e.g. an unbalanced "[" in the host
        return DEFAULT_SOURCE
    for domain, source in _SOURCES.items():
        if host == domain or host.endswith("." + domain):
            return source
    return DEFAULT_SOURCE
