"""The "forummagnum" format: GraphQL JSON from LessWrong, the Alignment Forum and the EA Forum."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from .base import (
    MAX_ID,
    MAX_URL,
    ImportFormatError,
    ParsedComment,
    ParsedGlossaryEntry,
    ParsedThread,
)
from .html import html_to_text
from .tree import (
    DELETED_TEXT,
    expect_list,
    expect_object,
    load_json,
    optional_bool,
    optional_datetime,
    optional_int,
    optional_str,
    order_replies,
    split_empty_leaves,
    web_url,
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


@dataclass(frozen=True)
class _Envelope:
    # None when the file holds comments only (a saved comments query, or a bare list of them).
    post: _Post | None
    comments: list[Any]
    # Where the comment list is, for messages: "data.comments.results", "" for a bare list.
    comments_path: str


@dataclass(frozen=True)
class _Comments:
    comments: list[ParsedComment]
    # Parents the file names but leaves out, whose replies hang from their top-level comment.
    missing_parents: int


def looks_like(data: Any) -> bool:
    """Whether decoded JSON has the shape of a ForumMagnum post or comment list, so
    auto-detection picks this."""
    if isinstance(data, list):
        return _is_comment_list(data)
    if not isinstance(data, dict) or "post_stream" in data:  # post_stream: a Discourse topic
        return False
    if isinstance(data.get("data"), dict):
        data = data["data"]
    comments = data.get("comments")
    if isinstance(comments, dict):
        comments = comments.get("results")
    return (
        isinstance(data.get("post"), dict)
        or isinstance(data.get("_id"), str)
        or _is_comment_list(comments)
    )


def _is_comment_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("_id"), str) for item in value)
    )


def parse(content: str) -> ParsedThread:
    return parse_data(load_json(content))


def parse_data(data: Any) -> ParsedThread:
    envelope = _unwrap(data)
    post = envelope.post
    if post is None:
        return _parse_comments_only(envelope)

    post_id = _required_id(post.data, post.path, "The post")
    page_url = _url(post.data, post.path)
    author = _author(post.data, post.path)
    root = ParsedComment(
        external_id=post_id,
        text=_text(post.data, post.path) or DELETED_TEXT,
        author=author,
        posted_at=optional_datetime(post.data, "postedAt", post.path),
        url=page_url,
        score=optional_int(post.data, "baseScore", post.path),
    )
    found = _comments(envelope, post_id, root_id=post_id, post_url=page_url)
    # A glossary entry is the post author's sense of the term; nobody's if the author is gone.
    glossary, skipped = _glossary(post.data, post.path, "" if author == DELETED_TEXT else author)
    thread = _thread(
        [root, *found.comments],
        post_id,
        source=_source(page_url),
        title=_title(post.data, post.path),
        source_url=page_url,
        missing=found.missing_parents,
    )
    return replace(thread, glossary=glossary, glossary_skipped=skipped)


def _parse_comments_only(envelope: _Envelope) -> ParsedThread:
    """A comment list without its post: the thread is the post the comments name in postId."""
    if not envelope.comments:
        raise ImportFormatError(
            f"No post found, and the comment list at {envelope.comments_path or 'the top'} is "
            "empty: there is nothing to import.",
            detail={"path": envelope.comments_path},
        )
    post_ids: dict[str, str] = {}  # post id -> the first path naming it
    for index, item in enumerate(envelope.comments):
        item_path = f"{envelope.comments_path}[{index}]"
        post_id = optional_str(expect_object(item, item_path), "postId", item_path).strip()
        if post_id:
            post_ids.setdefault(post_id, item_path)
    if not post_ids:
        raise ImportFormatError(
            "The file holds comments without their post, and no comment has a postId, so "
            "there is no telling which post they belong to: save postId with the comments, or "
            "the post with its comments.",
            detail={"path": envelope.comments_path or "[0]"},
        )
    post_id, first_path = next(iter(post_ids.items()))
    _check_id(post_id, first_path, "postId", "The post of the comment")
    found = _comments(envelope, post_id, root_id=None, post_url="")
    first_url = next((c.url for c in found.comments if c.url), "")
    thread = _thread(
        found.comments,
        post_id,
        source=_source(first_url),
        title="",
        source_url="",
        missing=found.missing_parents,
    )
    return replace(thread, post_included=False)


def _thread(
    comments: list[ParsedComment],
    post_id: str,
    *,
    source: str,
    title: str,
    source_url: str,
    missing: int,
) -> ParsedThread:
    def describe(external_id: str) -> str:
        return "the post" if external_id == post_id else f"comment {external_id!r}"

    ordered = order_replies(comments, describe=describe)
    kept, dropped = split_empty_leaves(ordered)
    if not kept:
        raise ImportFormatError(f"Post {post_id!r} has no text and no comments to import.")
    return ParsedThread(
        source=source,
        external_id=post_id,
        title=title,
        source_url=source_url,
        comments=kept,
        missing_comments=missing,
        # The post itself is not a comment: a post without a body is a link or a question.
        deleted_comments=sum(
            1 for c in ordered if c.text == DELETED_TEXT and c.external_id != post_id
        ),
        withdrawn={c.external_id: c.text for c in dropped},
    )


def _unwrap(data: Any) -> _Envelope:
    """Find the post and its comment list in any of the envelopes the GraphQL API produces."""
    if isinstance(data, list):
        return _Envelope(None, data, "")
    top = expect_object(data, "The file")
    prefix = ""
    if "data" in top:
        top, prefix = expect_object(top["data"], "data"), "data."
    if not isinstance(top.get("post"), dict) and data.get("errors"):
        raise ImportFormatError(f"The file is a GraphQL error response: {data['errors']!r:.200}.")

    post: _Post | None
    if "post" in top:
        post_path = f"{prefix}post"
        post_data = expect_object(top["post"], post_path)
        if "result" in post_data:
            post_path += ".result"
            post_data = expect_object(post_data["result"], post_path)
        post = _Post(post_data, post_path)
    elif "_id" in top:
        # A bare post object: the "result" of a single-post query on its own.
        post = _Post(top, prefix.rstrip(".") or "post")
    elif "comments" in top:
        post = None  # a comments query saved on its own
    else:
        raise ImportFormatError(
            "No post or comments found: expected a ForumMagnum post under data.post.result or "
            "post, or comments under data.comments.results, comments or as a list."
        )

    if "comments" in top or post is None:
        holder, holder_path = top, prefix.rstrip(".")
    else:
        holder, holder_path = post.data, post.path
    comments_path = f"{holder_path}.comments" if holder_path else "comments"
    comments = holder.get("comments")
    if comments is None:
        return _Envelope(post, [], comments_path)
    if isinstance(comments, dict) and "results" in comments:
        comments_path += ".results"
        comments = comments["results"]
    return _Envelope(post, expect_list(comments, comments_path), comments_path)


def _comments(
    envelope: _Envelope, post_id: str, *, root_id: str | None, post_url: str
) -> _Comments:
    """The comments, deduplicated; top-level ones reply to `root_id` (None: no post in the
    file). A comment whose parent is not in the file hangs from its top-level comment."""
    by_id: dict[str, tuple[ParsedComment, str]] = {}
    top_level_of: dict[str, str] = {}
    for index, item in enumerate(envelope.comments):
        item_path = f"{envelope.comments_path}[{index}]"
        obj = expect_object(item, item_path)
        comment_id = _required_id(obj, item_path, "A comment")
        if comment_id == post_id:
            raise ImportFormatError(
                f"Comment {comment_id!r} at {item_path} has the same _id as the post.",
                detail={"path": item_path},
            )
        comment_post = optional_str(obj, "postId", item_path).strip()
        if comment_post and comment_post != post_id:
            raise ImportFormatError(
                f"Comment {comment_id!r} at {item_path} belongs to post {comment_post!r}, "
                f"not to post {post_id!r}.",
                detail={"path": item_path},
            )
        # A deleted comment's text is not imported even when the export still carries it.
        deleted = optional_bool(obj, "deleted", item_path)
        text = "" if deleted else _text(obj, item_path)
        top_level = optional_str(obj, "topLevelCommentId", item_path).strip()
        comment = ParsedComment(
            external_id=comment_id,
            # Placeholder for a deleted comment; dropped later unless replies hang from it.
            text=text or DELETED_TEXT,
            author=_author(obj, item_path),
            posted_at=optional_datetime(obj, "postedAt", item_path),
            # Without parentCommentId (not saved), the top-level comment is the best parent known.
            parent_external_id=optional_str(obj, "parentCommentId", item_path).strip()
            or (top_level if top_level != comment_id else "")
            or None,
            url=_url(obj, item_path) or _comment_url(post_url, comment_id),
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
        if top_level and top_level != comment_id:
            top_level_of[comment_id] = top_level

    comments: list[ParsedComment] = []
    missing: set[str] = set()
    for comment_id, (comment, _) in by_id.items():
        parent = comment.parent_external_id
        if parent is not None and parent != root_id and parent not in by_id:
            # The parent was left out (deleted, or beyond a page of results): keep the reply in
            # its subthread when the file has that, else order_replies names the missing parent.
            top_level = top_level_of.get(comment_id)
            if top_level in by_id:
                missing.add(parent)
                parent = top_level
        parent = parent or root_id
        if parent != comment.parent_external_id:
            comment = replace(comment, parent_external_id=parent)
        comments.append(comment)
    return _Comments(comments, len(missing))


def _glossary(
    post: dict[str, Any], path: str, author: str
) -> tuple[list[ParsedGlossaryEntry], int]:
    """The approved entries of the post's glossary, and how many others were skipped: an
    entry the author has not approved (or has deleted) is not part of the published post."""
    items = post.get("glossary")
    if items is None:
        return [], 0
    items = expect_list(items, f"{path}.glossary")
    entries: list[ParsedGlossaryEntry] = []
    skipped = 0
    for index, item in enumerate(items):
        entry_path = f"{path}.glossary[{index}]"
        obj = expect_object(item, entry_path)
        approved = optional_bool(obj, "approved", entry_path)
        if not approved or optional_bool(obj, "deleted", entry_path):
            skipped += 1
            continue
        term = optional_str(obj, "term", entry_path).strip()
        if not term:
            raise ImportFormatError(
                f"The glossary entry at {entry_path} has no term.",
                detail={"path": f"{entry_path}.term"},
            )
        aliases = obj.get("altTerms")
        aliases_path = f"{entry_path}.altTerms"
        aliases = [] if aliases is None else expect_list(aliases, aliases_path)
        for alias_index, alias in enumerate(aliases):
            if not isinstance(alias, str):
                raise ImportFormatError(
                    f"{aliases_path}[{alias_index}] should be a string, not {alias!r}.",
                    detail={"path": f"{aliases_path}[{alias_index}]"},
                )
        entries.append(
            ParsedGlossaryEntry(
                term=term,
                aliases=tuple(alias.strip() for alias in aliases if alias.strip()),
                text=_text(obj, entry_path),
                author=author,
                path=entry_path,
            )
        )
    return entries, skipped


def _required_id(obj: dict[str, Any], path: str, what: str) -> str:
    value = obj.get("_id")
    if not isinstance(value, str) or not value.strip():
        problem = "has no _id"
        if value not in (None, ""):
            problem = f"has an _id that is not a string: {value!r}"
        raise ImportFormatError(f"{what} at {path} {problem}.", detail={"path": f"{path}._id"})
    return _check_id(value.strip(), path, "_id", what)


def _check_id(value: str, path: str, key: str, what: str) -> str:
    if len(value) > MAX_ID:
        raise ImportFormatError(
            f"{what} at {path}: its {key} is {len(value)} characters long; "
            f"ForumMagnum ids are short, and at most {MAX_ID} are accepted.",
            detail={"path": f"{path}.{key}"},
        )
    return value


def _title(post: dict[str, Any], path: str) -> str:
    title = optional_str(post, "title", path).strip()
    # The slug is the title in URL form: better than no title at all.
    return title or optional_str(post, "slug", path).strip().replace("-", " ")


def _url(obj: dict[str, Any], path: str) -> str:
    url = optional_str(obj, "pageUrl", path)
    if len(url) > MAX_URL:
        raise ImportFormatError(
            f"{path}.pageUrl is {len(url)} characters long; at most {MAX_URL} are accepted.",
            detail={"path": f"{path}.pageUrl"},
        )
    return web_url(url)


def _comment_url(post_url: str, comment_id: str) -> str:
    """The link ForumMagnum gives a comment: its post's page with a commentId parameter."""
    if not post_url:
        return ""
    url = f"{post_url}{'&' if '?' in post_url else '?'}commentId={comment_id}"
    return url if len(url) <= MAX_URL else ""


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
