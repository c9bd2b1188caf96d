from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_claims(apps, schema_editor):
    Term = apps.get_model("glossary", "Term")
    Reading = apps.get_model("annotations", "Reading")
    claims = (
        Reading.objects.filter(term=OuterRef("pk"))
        .order_by()
        .values("term")
        .annotate(n=Count("claim", distinct=True))
        .values("n")
    )
    Term.objects.update(
        claim_count=Coalesce(Subquery(claims, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0003_definition_source_thread"),
        ("annotations", "0005_claim_annotation_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="term",
            name="claim_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_claims, migrations.RunPython.noop),
    ]
