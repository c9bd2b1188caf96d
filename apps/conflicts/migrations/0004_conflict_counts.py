import django.db.models.deletion
from django.db import migrations, models

# One row per (workspace, status) whose count a statement changed, with the net change: an
# UPDATE that leaves statuses alone (detected_at, evidence) nets to nothing and adds no row.
# Statement-level, from the transition tables, so a batch of a thousand conflicts adds a row,
# and no counter row is locked (concurrent detections cannot deadlock on it).
TRIGGERS = """
CREATE FUNCTION conflicts_count_deltas() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO conflicts_conflictcount (workspace_id, status, delta)
      SELECT workspace_id, status, count(*) FROM new_rows GROUP BY 1, 2;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO conflicts_conflictcount (workspace_id, status, delta)
      SELECT workspace_id, status, -count(*) FROM old_rows GROUP BY 1, 2;
  ELSE
    INSERT INTO conflicts_conflictcount (workspace_id, status, delta)
      SELECT workspace_id, status, sum(change) FROM (
        SELECT workspace_id, status, 1 AS change FROM new_rows
        UNION ALL SELECT workspace_id, status, -1 FROM old_rows) AS changes
      GROUP BY 1, 2 HAVING sum(change) <> 0;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER conflicts_count_insert AFTER INSERT ON conflicts_conflict
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION conflicts_count_deltas();
CREATE TRIGGER conflicts_count_update AFTER UPDATE ON conflicts_conflict
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION conflicts_count_deltas();
CREATE TRIGGER conflicts_count_delete AFTER DELETE ON conflicts_conflict
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION conflicts_count_deltas();
INSERT INTO conflicts_conflictcount (workspace_id, status, delta)
  SELECT workspace_id, status, count(*) FROM conflicts_conflict GROUP BY 1, 2;
"""
DROP_TRIGGERS = """
DROP TRIGGER conflicts_count_insert ON conflicts_conflict;
DROP TRIGGER conflicts_count_update ON conflicts_conflict;
DROP TRIGGER conflicts_count_delete ON conflicts_conflict;
DROP FUNCTION conflicts_count_deltas();
"""


def on_postgresql(sql: str):
    """Elsewhere (SQLite) the table stays empty and lists count their rows."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("conflicts", "0003_conflict_term_set_null"),
        ("workspaces", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConflictCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("confirmed", "Confirmed"),
                            ("dismissed", "Dismissed"),
                            ("resolved", "Resolved"),
                            ("obsolete", "Obsolete: the evidence is gone"),
                        ],
                        max_length=12,
                    ),
                ),
                ("delta", models.IntegerField()),
                (
                    "workspace",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="workspaces.workspace",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["workspace", "status"], name="conflicts_c_workspa_c0abc4_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(on_postgresql(TRIGGERS), on_postgresql(DROP_TRIGGERS)),
    ]
