"""Every database starts with the course audiences, the catalogue and its five track pages, the
"Curriculum review" workflow on the catalogue, and the trainer and curriculum manager page permissions.
"""

from django.db import migrations
from django.utils import timezone

AUDIENCES = ["leader_cio", "it_staff", "general", "farmer", "resident"]
CATALOGUE = {"title": "Danh mục khoá học", "slug": "khoa-hoc"}
TRACKS = [
    ("leaders_cio", "Lãnh đạo và Giám đốc CNTT (CIO)", "lanh-dao-cio"),
    ("it_staff", "Cán bộ chuyên trách CNTT", "can-bo-chuyen-trach-cntt"),
    ("general", "Cán bộ, công chức, viên chức", "can-bo-cong-chuc-vien-chuc"),
    ("open_source", "Phần mềm nguồn mở", "phan-mem-nguon-mo"),
    ("farmers", "Nông dân và người dân", "nong-dan-nguoi-dan"),
]
WORKFLOW_NAME = "Curriculum review"
TASK_NAME = "Curriculum manager approval"
GROUP_PERMISSIONS = {
    "trainer": ["add_page", "change_page"],
    "curriculum_manager": ["add_page", "change_page", "publish_page"],
}
PERMISSION_NAMES = {"add_page": "Can add page", "change_page": "Can change page", "publish_page": "Publish any page"}
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP_LENGTH = 4


def child_path(parent_path: str, position: int) -> str:
    """The materialised path of a parent's `position`-th child (1-based), as treebeard writes it."""
    step = ""
    while position:
        position, digit = divmod(position, len(PATH_ALPHABET))
        step = PATH_ALPHABET[digit] + step
    return parent_path + step.rjust(STEP_LENGTH, "0")


def add_child(parent, model, content_type, **fields):
    now = timezone.now()
    parent.numchild += 1
    parent.save(update_fields=["numchild"])
    return model.objects.create(
        content_type=content_type,
        path=child_path(parent.path, parent.numchild),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        draft_title=fields["title"],
        locale_id=parent.locale_id,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        **fields,
    )


def create_curriculum(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    HomePage = apps.get_model("cms", "HomePage")
    CatalogueIndexPage = apps.get_model("cms", "CatalogueIndexPage")
    TrackPage = apps.get_model("cms", "TrackPage")
    CourseAudience = apps.get_model("cms", "CourseAudience")

    for code in AUDIENCES:
        CourseAudience.objects.get_or_create(code=code)

    home = Page.objects.get(pk=HomePage.objects.get().pk)
    catalogue = add_child(
        home,
        CatalogueIndexPage,
        ContentType.objects.get_or_create(app_label="cms", model="catalogueindexpage")[0],
        **CATALOGUE,
    )
    catalogue_node = Page.objects.get(pk=catalogue.pk)
    track_type = ContentType.objects.get_or_create(app_label="cms", model="trackpage")[0]
    for track, title, slug in TRACKS:
        add_child(catalogue_node, TrackPage, track_type, track=track, title=title, slug=slug)

    # Django creates a model's default permissions after all migrations; the page ones are needed now.
    page_type = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0]
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_type, codename=codename, defaults={"name": PERMISSION_NAMES[codename]}
            )
            GroupPagePermission.objects.get_or_create(group=group, page=catalogue_node, permission=permission)

    task = GroupApprovalTask.objects.create(
        name=TASK_NAME,
        active=True,
        content_type=ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0],
    )
    task.groups.set([Group.objects.get(name="curriculum_manager")])
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=catalogue_node)


def remove_curriculum(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    CatalogueIndexPage = apps.get_model("cms", "CatalogueIndexPage")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name=TASK_NAME).delete()
    for catalogue in CatalogueIndexPage.objects.all():
        Page.objects.filter(path__startswith=catalogue.path).delete()
        parent = Page.objects.get(path=catalogue.path[:-STEP_LENGTH])
        parent.numchild = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).count()
        parent.save(update_fields=["numchild"])
    apps.get_model("cms", "CourseAudience").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_curriculum_pages"),
        ("accounts", "0002_role_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_curriculum, remove_curriculum)]
