import importlib

import orjson
import psycopg
from django.db import migrations

from apps.conflicts.rules.base import evidence_digest, evidence_hash, evidence_json

_UPDATE = """
UPDATE conflicts_conflict c SET evidence_hash = n.hash, evidence_digest = n.digest
FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS n (id, hash, digest) WHERE c.id = n.id
"""


def hash_existing(apps, schema_editor):
    """0005's recomputation of every row's evidence hash and digest, again: evidence_json's
    text changed (compact, by orjson), and with it what the hashes are taken of. Without it,
    the next rescan would rewrite every conflict and reopen the dismissed ones as "evidence
    changed". On PostgreSQL a batch is one UPDATE from arrays: Django's bulk_update, a CASE
    of a branch per row, took over ten minutes for the 1.5M conflicts of the full benchmark."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        module = importlib.import_module("apps.conflicts.migrations.0005_conflict_evidence_digest")
        module.hash_existing(apps, schema_editor)
        return
    connection.ensure_connection()
    raw = connection.connection
    with psycopg.ServerCursor(raw, "conflict_evidence") as rows, raw.cursor() as update:
        rows.itersize = 5000
        # As text, decoded here: Django's connection hands jsonb over undecoded.
        rows.execute("SELECT id, evidence::text FROM conflicts_conflict")
        while batch := rows.fetchmany(5000):
            texts = [evidence_json(orjson.loads(stored)) for _, stored in batch]
            update.execute(
                _UPDATE,
                [
                    [pk for pk, _ in batch],
                    [evidence_hash(text) for text in texts],
                    [evidence_digest(text) for text in texts],
                ],
            )


class Migration(migrations.Migration):
    dependencies = [("conflicts", "0006_conflict_queue_index_with_id")]

    operations = [migrations.RunPython(hash_existing, migrations.RunPython.noop)]
