from django.db import migrations


def create_reviewers_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this group needs its one now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="review_conflicts",
        defaults={"name": "Can review conflicts and merge or split definitions"},
    )
    group, _ = Group.objects.get_or_create(name="Reviewers")
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_reviewers_group, migrations.RunPython.noop)]
