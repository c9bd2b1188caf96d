"""The API's JSON parser: malformed, too deeply nested or untextual JSON is a 400, never a 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from apps.core.text import untextual


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the JSON is nested too deeply.") from None
        problem = untextual(data)
        if problem is not None:
            path, what = problem
            raise ParseError(f"JSON parse error - {path} contains {what}.")
        return data
