"""Trainers, curriculum managers and site administrators get the H5P activities' model permissions.

Which rows each of them sees is decided in h5p.selectors (trainers: their own uploads).
"""

from django.db import migrations

ACTIONS = ["add", "change", "delete", "view"]
GROUPS = ["trainer", "curriculum_manager", "site_admin"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Django creates a model's default permissions after all migrations; they are needed now.
    content_type = ContentType.objects.get_or_create(app_label="h5p", model="h5pcontent")[0]
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_h5pcontent", defaults={"name": f"Can {action} H5P activity"}
        )[0]
        for action in ACTIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="h5p", content_type__model="h5pcontent")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("h5p", "0001_h5p_activities"),
        ("accounts", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
