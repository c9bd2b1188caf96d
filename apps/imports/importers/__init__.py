"""The import formats by name, and parse_thread: content in, a ParsedThread out (or, for
`w3c`, the ParsedAnnotations to put on a thread)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from types import MappingProxyType, ModuleType
from typing import Any

from . import discourse, forummagnum, hackernews, reddit, text, w3c
from .base import ImportFormatError, ParsedComment, ParsedThread
from .tree import load_json
from .w3c import ParsedAnnotations

__all__ = [
    "FORMATS",
    "ImportFile",
    "ImportFormatError",
    "ParsedAnnotations",
    "ParsedComment",
    "ParsedThread",
    "load_pages",
    "parse_files",
    "parse_thread",
]

# Auto-detection tries the JSON formats in this order; "text" takes whatever is not JSON.
FORMATS: MappingProxyType[str, ModuleType] = MappingProxyType(
    {
        forummagnum.FORMAT: forummagnum,
        discourse.FORMAT: discourse,
        reddit.FORMAT: reddit,
        hackernews.FORMAT: hackernews,
        text.FORMAT: text,
        w3c.FORMAT: w3c,
    }
)
_JSON_FORMATS = (forummagnum, discourse, reddit, hackernews, w3c)


def parse_thread(
    content: str | bytes, format: str | None = None, *, title: str = ""
) -> ParsedThread | ParsedAnnotations:
    """Parse an uploaded thread in the named format, or the one its shape shows when None;
    W3C Web Annotations (`w3c`) come back as ParsedAnnotations for a thread imported before.

    A non-empty `title` replaces the title found in the content. Raises ImportFormatError with a
    message for the person who uploaded the file.
    """
    if format is not None and format not in FORMATS:
        raise ImportFormatError(
            f"Unknown import format {format!r}; supported formats: {', '.join(FORMATS)}.",
            code="unknown_format",
            detail={"supported": list(FORMATS)},
        )
    content = decode_text(content)

    if format == text.FORMAT:
        return text.parse(content, title=title)
    if format is not None:
        thread = FORMATS[format].parse(content)
    elif not content.lstrip().startswith(("{", "[")):
        return text.parse(content, title=title)
    else:
        # JSON-looking content is never read as pasted text: a broken export should say where
        # it is broken rather than become one comment full of braces.
        data = load_json(content)
        module = next((module for module in _JSON_FORMATS if module.looks_like(data)), None)
        if module is None:
            raise ImportFormatError(
                "The file is JSON but not in a known format: expected a ForumMagnum post "
                "(LessWrong, Alignment Forum, EA Forum), a Discourse topic, a Reddit thread, "
                "a Hacker News (Algolia) item, or W3C Web Annotations (JSON-LD, or a "
                "Hypothesis export) on a thread. Supported formats: "
                f"{', '.join(FORMATS)}.",
                detail={"supported": list(FORMATS)},
            )
        thread = module.parse_data(data)
    return _titled(thread, title)


def _titled(
    thread: ParsedThread | ParsedAnnotations, title: str
) -> ParsedThread | ParsedAnnotations:
    if isinstance(thread, ParsedAnnotations) or not title.strip():
        return thread  # annotations go on a thread that has its title
    return dataclasses.replace(thread, title=title.strip())


@dataclasses.dataclass(frozen=True)
class ImportFile:
    """An uploaded file; its name tells the uploader which file a message is about."""

    name: str
    content: str | bytes


def parse_files(
    files: Sequence[ImportFile], format: str | None = None, *, title: str = ""
) -> ParsedThread | ParsedAnnotations:
    """Parse one file as parse_thread does, or several as the pages of one Discourse topic."""
    if len(files) == 1:
        return parse_thread(files[0].content, format, title=title)
    pages = load_pages(files, format)
    return _titled(discourse.parse_data(pages, names=[file.name for file in files]), title)


def load_pages(files: Sequence[ImportFile], format: str | None = None) -> list[Any]:
    """Several files as the decoded pages of one Discourse topic, the one format that is saved
    page by page; a file that is not such a page is refused by name."""
    if format not in (None, discourse.FORMAT):
        raise ImportFormatError(
            f"Several files can be imported together only as the pages of one Discourse "
            f"topic, not in the {format} format: import them one at a time.",
            detail={"files": [file.name for file in files]},
        )
    pages = []
    for file in files:
        try:
            data = load_json(decode_text(file.content))
        except ImportFormatError as error:
            raise ImportFormatError(
                f"{file.name}: {error.message}",
                code=error.code,
                detail={"file": file.name, **(error.detail or {})},
            ) from None
        if not isinstance(data, dict) or not discourse.looks_like(data):
            raise ImportFormatError(
                f"{file.name} is not a page of a Discourse topic: several files can be "
                "imported together only as the pages of one topic.",
                detail={"file": file.name},
            )
        pages.append(data)
    return pages


def decode_text(content: str | bytes) -> str:
    """The upload as text: UTF-8 without a byte order mark, not empty, no NUL or surrogates."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFormatError(
                f"The file is not UTF-8 text: byte 0x{content[error.start]:02x} at byte offset "
                f"{error.start} cannot be decoded. Save it as UTF-8 and upload it again.",
                detail={"offset": error.start},
            ) from None
    # A byte order mark is an encoding artefact, not text, and would hide a leading "{".
    content = content.removeprefix("\ufeff")
    if not content.strip():
        raise ImportFormatError("The file is empty: there is no text to import.")
    try:
        content.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ImportFormatError(
            f"The text has a lone UTF-16 surrogate at offset {error.start}, which is not text.",
            detail={"offset": error.start},
        ) from None
    nul = content.find("\x00")
    if nul != -1:
        raise ImportFormatError(
            f"The file contains a NUL character at offset {nul}, so it is not text; it may be a "
            "binary file or saved in UTF-16.",
            detail={"offset": nul},
        )
    return content
