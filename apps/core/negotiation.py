"""Content negotiation whose one failure a client can cause by hand says what went wrong."""

from rest_framework.negotiation import DefaultContentNegotiation

from apps.core.errors import ApplicationError


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        # ?format=xml: DRF answers a bare 404, as if the resource were missing.
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            known = ", ".join(renderer.format for renderer in renderers)
            raise ApplicationError(
                f"Unknown response format {format[:40]!r}; use one of {known}.",
                code="unknown_format",
            )
        return matching
