"""The API's JSON parser: malformed, too deeply nested, untextual or oversized JSON is a 4xx."""

from urllib.parse import parse_qsl

from django.conf import settings
from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from apps.core.errors import PayloadTooLarge
from apps.core.text import untextual


def content_length(request) -> int:
    """The declared body size; a missing or garbled Content-Length counts as 0, as in Django."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def check_body_size(size: int, limit: int) -> None:
    if size > limit:
        raise PayloadTooLarge(
            f"The request body is {size:,} bytes; the limit is {limit:,} bytes.",
            detail={"size": size, "limit": limit},
        )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # DRF reads a JSON body whole, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE: refuse it first.
        request = (parser_context or {}).get("request")
        if request is not None:
            check_body_size(content_length(request), settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the JSON is nested too deeply.") from None
        problem = untextual(data)
        if problem is not None:
            path, what = problem
            raise ParseError(f"JSON parse error - {path} contains {what}.")
        return data


class FormParser(parsers.FormParser):
    """Form data must be UTF-8: Django would turn stray bytes into U+FFFD and store that."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read()
        try:
            parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise ParseError(
                "Form parse error - the form data is not UTF-8 text (raw or percent-encoded)."
            ) from None
        return QueryDict(body, encoding="utf-8")
