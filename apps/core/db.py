"""Query helpers shared by the selectors and services."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Field, IntegerField, Model, QuerySet, Subquery, Value
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.functions import Coalesce
from django.db.models.lookups import In


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


def copy_insert(model: type[Model], objects: list[Model]) -> None:
    """Insert objects whose ids `reserve_ids` gave with one COPY, which PostgreSQL loads faster
    than bulk_create's INSERT … UNNEST and whose rows psycopg writes in C (12,000 comments:
    0.4 to 0.5 s against 1.0 to 1.2 s, half the CPU). PostgreSQL only; fields are prepared as
    save() prepares them (auto_now times included)."""
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        db = cursor.db  # the connection itself: each use of the thread-local proxy costs
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields])
            obj._state.adding = False
            obj._state.db = db.alias


def insert_new(model: type[Model], objects: list[Model]) -> None:
    """Insert rows no other transaction can be inserting (the caller holds a lock that keeps
    them out): by COPY with ids from the sequence on PostgreSQL, by bulk_create elsewhere."""
    if reserve_ids(model, objects):
        copy_insert(model, objects)
    else:
        model.objects.bulk_create(objects, batch_size=1000)


class _ArrayParameter:
    """`field__any=[...]`: `field__in`, with the values as one array parameter on PostgreSQL
    (`= ANY(%s)`). A detection chunk names tens of thousands of ids: as an IN list each is a
    parameter to quote and parse (15 ms of planning a query), and the planner read such a
    join as a scan of the whole table (0.25 s and two parallel workers a chunk) where an
    index lookup per id takes 0.05 s."""

    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


@Field.register_lookup
class AnyOf(_ArrayParameter, In):
    pass


# Relations take their lookups from their own class and its bases up to ForeignObject only.
@ForeignObject.register_lookup
class RelatedAnyOf(_ArrayParameter, RelatedIn):
    pass
