"""Uploading H5P activities in the Wagtail admin: trainers see their own uploads, curriculum managers
all; a refused package shows the reason naming the file and keeps nothing."""

import pytest
from django.urls import reverse

from h5p.models import H5PContent, H5PPackage
from h5p.services import content_upload
from tests.h5p.conftest import build_zip, upload, workspace_files

pytestmark = pytest.mark.django_db


def test_a_trainer_uploads_a_package_in_the_admin(mfa_client, trainer, media_root, truefalse_bytes):
    client = mfa_client(trainer)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("h5p_contents:add"),
        {"title": "Đúng hay sai", "pass_percent": 80, "grading_method": "highest", "package": upload(truefalse_bytes)},
    )

    assert response.status_code == 302
    content = H5PContent.objects.get()
    assert (content.title, content.owner, content.pass_percent) == ("Đúng hay sai", trainer, 80)
    assert "Đúng hay sai" in client.get(reverse("h5p_contents:index")).content.decode()


def test_a_refused_package_shows_the_reason_in_the_form(mfa_client, trainer, media_root):
    client = mfa_client(trainer)
    client.cookies["django_language"] = "en"
    bad = build_zip({**workspace_files(), "content/x.svg": b"<svg/>"})

    response = client.post(
        reverse("h5p_contents:add"), {"title": "", "pass_percent": 100, "grading_method": "highest", "package": upload(bad)}
    )

    assert response.status_code == 200
    assert "“content/x.svg”: files of this type are not allowed in content/." in response.content.decode()
    assert not H5PContent.objects.exists() and not H5PPackage.objects.exists()


def test_trainers_see_only_their_uploads_and_managers_see_all(
    mfa_client, trainer, other_trainer, curriculum_manager, media_root, truefalse_bytes
):
    mine = content_upload(uploaded=upload(truefalse_bytes), title="Của tôi", owner=trainer)
    theirs = content_upload(uploaded=upload(truefalse_bytes), title="Của người khác", owner=other_trainer)
    client = mfa_client(trainer)

    listing = client.get(reverse("h5p_contents:index")).content.decode()
    assert "Của tôi" in listing and "Của người khác" not in listing
    assert client.get(reverse("h5p_contents:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("h5p_contents:edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("h5p_contents:delete", args=[theirs.pk])).status_code == 404
    assert H5PContent.objects.filter(pk=theirs.pk).exists()
    chooser = client.get(reverse("h5p_content_chooser:choose")).json()["html"]
    assert "Của tôi" in chooser and "Của người khác" not in chooser

    client.logout()
    manager = mfa_client(curriculum_manager)
    listing = manager.get(reverse("h5p_contents:index")).content.decode()
    assert "Của tôi" in listing and "Của người khác" in listing
