"""Every row of some tables, to prove a refused request wrote nothing."""

from typing import Any

from django.db import connection


def table_rows(models: list[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Raw SQL rather than the ORM: it runs twice per request in the big matrices."""
    state = {}
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")
            state[model._meta.db_table] = cursor.fetchall()
    return state


def row_counts() -> dict[str, int]:
    """How many rows every table of the database holds, in one query."""
    quote = connection.ops.quote_name
    # Table names are the project's own (letters, digits, underscores): safe as literals.
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {quote(table)}"
        for table in connection.introspection.table_names()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())
