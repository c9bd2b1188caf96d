"""The interface every importer implements: text in, a ParsedThread out, no database access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from apps.core.errors import ApplicationError

# The longest forum id and URL the database stores (Thread/Comment.external_id, .url).
MAX_ID = 200
MAX_URL = 1000


class ImportFormatError(ApplicationError):
    """The content cannot be imported; the message names the problem and where it is."""

    default_code = "invalid_import"


@dataclass(frozen=True)
class ParsedComment:
    external_id: str
    text: str
    author: str = ""
    posted_at: datetime | None = None
    parent_external_id: str | None = None
    # Shown above the comment but not part of it, e.g. the post title on a profile page.
    context: str = ""
    url: str = ""
    score: int | None = None


@dataclass(frozen=True)
class ParsedThread:
    source: str
    external_id: str
    title: str
    source_url: str = ""
    # Display order; a parent always comes before its replies.
    comments: list[ParsedComment] = field(default_factory=list)
    # Comments the file says exist but leaves out (Reddit's unexpanded "more" stubs).
    missing_comments: int = 0
