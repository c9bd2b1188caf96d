"""Query helpers shared by the selectors."""

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def subquery_count(queryset: QuerySet, group_by: str) -> Coalesce:
    """COUNT(*) of `queryset` as a correlated subquery grouped by `group_by`.

    `queryset` must already filter `group_by` against an OuterRef. Unlike Count() over joins,
    several of these in one list do not multiply rows, so each stays an index lookup."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
