"""Checks for strings that no text column can store, wherever JSON brings them in."""

from typing import Any


def untextual(data: Any) -> tuple[str, str] | None:
    """(JSON path, problem) of the first string holding a NUL or a lone surrogate, else None.

    JSON escapes (\\u0000, \\ud800) decode to both; PostgreSQL refuses them in text columns."""
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{path}.{key}", item) for key, item in value.items())
            stack.extend((f"{path} (a key)", key) for key in value)
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, str):
            if "\x00" in value:
                return path, "a NUL character (\\u0000), which text cannot hold"
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return path, "a lone UTF-16 surrogate (like \\ud800 without its pair)"
    return None
