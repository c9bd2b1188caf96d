from django.db import migrations, models

from apps.conflicts.rules.base import evidence_digest, evidence_hash, evidence_json


def hash_existing(apps, schema_editor):
    """Rows detected before get their digest, and their evidence hash as it is now taken, so
    the next rescan finds them unchanged instead of rewriting every one (moving each up the
    review queue) or reopening verdicts."""
    Conflict = apps.get_model("conflicts", "Conflict")
    fields = ["evidence_hash", "evidence_digest"]
    batch = []
    for pk, evidence in Conflict.objects.values_list("id", "evidence").iterator(chunk_size=2000):
        text = evidence_json(evidence)
        batch.append(
            Conflict(id=pk, evidence_hash=evidence_hash(text), evidence_digest=evidence_digest(text))
        )
        if len(batch) == 2000:
            Conflict.objects.bulk_update(batch, fields)
            batch = []
    Conflict.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [("conflicts", "0004_conflict_counts")]

    operations = [
        migrations.AddField(
            model_name="conflict",
            name="evidence_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
    ]
