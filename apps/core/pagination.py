"""Page-number pagination with a client-chosen page size, capped so no page is unbounded."""

from functools import cached_property, partial

from django.core.paginator import Paginator
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


def filters_of(request) -> set[str]:
    """The query parameters that filter a list, as opposed to paging it."""
    return set(request.query_params) - {"page", "page_size", "format"}


class _KnownCountPaginator(Paginator):
    """A paginator told the count: a view that keeps it in a counter skips the COUNT(*)."""

    def __init__(self, *args, known_count: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count


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

    def paginate_queryset(self, queryset, request, view=None):
        # A view may know how many rows its filtered queryset has (`known_count`, None when it
        # does not): then the page is read without counting them.
        count = getattr(view, "known_count", lambda: None)()
        self.django_paginator_class = (
            Paginator if count is None else partial(_KnownCountPaginator, known_count=count)
        )
        return super().paginate_queryset(queryset, request, view)
