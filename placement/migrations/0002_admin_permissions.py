"""Statements removed from a survey take their ratings with them; curriculum managers and site
administrators get the survey model permissions (the Wagtail admin of surveys)."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = {"survey": "IT skill survey"}
ACTIONS = ["add", "change", "delete", "view"]
GROUPS = ["curriculum_manager", "site_admin"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Django creates a model's default permissions after all migrations; they are needed now.
    permissions = []
    for model, label in MODELS.items():
        content_type = ContentType.objects.get_or_create(app_label="placement", model=model)[0]
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {label}"}
            )
            permissions.append(permission)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="placement", content_type__model__in=list(MODELS))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("placement", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="itemanswer",
            name="item",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="answers", to="placement.surveyitem"
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
