"""Query helpers shared by the selectors and services."""

from django.db import connection
from django.db.models import Count, IntegerField, Model, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def subquery_count(queryset: QuerySet, group_by: str) -> Coalesce:
    """COUNT(*) of `queryset` as a correlated subquery grouped by `group_by`.

    `queryset` must already filter `group_by` against an OuterRef. Unlike Count() over joins,
    several of these in one list do not multiply rows, so each stays an index lookup."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def reserve_ids(model: type[Model], objects: list[Model]) -> bool:
    """Give unsaved objects their primary keys from the table's sequence, on PostgreSQL; False
    where there is none (SQLite), and the ids come with the insert."""
    if not objects or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
    return True
