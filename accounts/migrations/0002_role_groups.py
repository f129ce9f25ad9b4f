"""Create one group per role; the roles that use the Wagtail admin get access to it."""

from django.db import migrations

ROLES = [
    "learner",
    "trainer",
    "unit_officer",
    "curriculum_manager",
    "farmer_coordinator",
    "home_affairs",
    "site_admin",
]
ADMIN_ROLES = ["trainer", "curriculum_manager", "site_admin"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_ROLES:
            group.permissions.add(access_admin)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
