"""The import formats by name, and parse_thread: content in, a ParsedThread out."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType, ModuleType

from . import discourse, forummagnum, hackernews, reddit, text
from .base import ImportFormatError, ParsedComment, ParsedThread
from .tree import load_json

__all__ = ["FORMATS", "ImportFormatError", "ParsedComment", "ParsedThread", "parse_thread"]

# Auto-detection tries the JSON formats in this order; "text" takes whatever is not JSON.
FORMATS: MappingProxyType[str, ModuleType] = MappingProxyType(
    {
        forummagnum.FORMAT: forummagnum,
        discourse.FORMAT: discourse,
        reddit.FORMAT: reddit,
        hackernews.FORMAT: hackernews,
        text.FORMAT: text,
    }
)
_JSON_FORMATS = (forummagnum, discourse, reddit, hackernews)


def parse_thread(
    content: str | bytes, format: str | None = None, *, title: str = ""
) -> ParsedThread:
    """Parse an uploaded thread in the named format, or the one its shape shows when None.

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
                "(LessWrong, Alignment Forum, EA Forum), a Discourse topic, a Reddit thread "
                "or a Hacker News (Algolia) item. Supported formats: "
                f"{', '.join(FORMATS)}.",
                detail={"supported": list(FORMATS)},
            )
        thread = module.parse_data(data)
    return dataclasses.replace(thread, title=title.strip()) if title.strip() else thread


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
