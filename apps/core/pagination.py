"""Page-number pagination with a client-chosen page size, capped so no page is unbounded."""

from rest_framework import pagination

from apps.core.errors import ApplicationError


def _page_param(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ApplicationError(
            f"{name} must be a whole number from 1 up, not {raw[:40]!r}.", code="invalid_page"
        )
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
    # A page past the last one does not exist (404, as in DRF); a garbled number is a 400.
    invalid_page_message = "Page {page_number} does not exist: {message}."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        # DRF would quietly use the default for page_size=0 or =abc; a larger size than the
        # cap gets the cap, as documented.
        return min(_page_param(raw, self.page_size_query_param), self.max_page_size)

    def get_page_number(self, request, paginator) -> str:
        raw = super().get_page_number(request, paginator)
        if raw not in self.last_page_strings:
            _page_param(str(raw), self.page_query_param)
        return raw
