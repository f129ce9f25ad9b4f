"""Trainers and curriculum managers may upload and choose images and documents for lessons.

Without a collection permission Wagtail's image and document buttons offered them nothing to choose
and no upload (found by the trainer's browser journey). Trainers add and choose (and so edit only what
they uploaded); curriculum managers, who review every course, also change and delete.
"""

from django.db import migrations

GRANTS = {
    "trainer": {"wagtailimages": ["add_image", "choose_image"], "wagtaildocs": ["add_document", "choose_document"]},
    "curriculum_manager": {
        "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
        "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
    },
}
MODELS = {"wagtailimages": "image", "wagtaildocs": "document"}


def grant(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group_name, by_app in GRANTS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for app_label, codenames in by_app.items():
            content_type = ContentType.objects.get_or_create(app_label=app_label, model=MODELS[app_label])[0]
            for codename in codenames:
                # Django creates default permissions after all migrations; these are needed now.
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type, codename=codename,
                    defaults={"name": codename.replace("_", " ").capitalize()},
                )
                GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name__in=list(GRANTS), permission__content_type__app_label__in=list(MODELS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_course_final_exam"),
        ("accounts", "0002_role_groups"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
