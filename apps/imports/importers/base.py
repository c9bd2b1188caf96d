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
class ParsedGlossaryEntry:
    """A term the post's author explains in the post's glossary (ForumMagnum)."""

    term: str
    aliases: tuple[str, ...]
    # The explanation as plain text; "" when the entry has none.
    text: str
    author: str
    # Where the entry is in the file, for messages.
    path: str


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
    # Comments the file marks deleted or hidden: their text is not imported, and they are kept
    # as a placeholder only where replies hang from them.
    deleted_comments: int = 0
    hidden_comments: int = 0
    # The deleted or hidden comments left out because nobody replied to them, by external id,
    # with the placeholder that replaces the text of a copy imported earlier.
    withdrawn: dict[str, str] = field(default_factory=dict)
    # False when the file holds comments without their post: top-level comments then reply to
    # the post (the comment whose external id is the thread's) if an earlier import stored it.
    post_included: bool = True
    # Approved glossary entries of the post, and how many entries were skipped (not approved).
    glossary: list[ParsedGlossaryEntry] = field(default_factory=list)
    glossary_skipped: int = 0
