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
