"""Request ids in responses and logs, Prometheus metrics behind a token, Celery task failures
recorded for administrators, and media on object storage in production."""

import json
import logging

import pytest
from django.urls import reverse

from lms.celery import app as celery_app
from ops.models import TaskFailure
from ops.request_id import RequestIdFilter

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id_and_keeps_a_well_formed_incoming_one(client):
    fresh = client.get(reverse("ops:healthz"))
    assert len(fresh["X-Request-ID"]) == 32
    assert client.get(reverse("ops:healthz"), HTTP_X_REQUEST_ID="nginx-abc12345")["X-Request-ID"] == "nginx-abc12345"
    # A header that could forge log lines is replaced.
    assert client.get(reverse("ops:healthz"), HTTP_X_REQUEST_ID="x\nFAKE LOG")["X-Request-ID"] != "x\nFAKE LOG"


def test_log_lines_written_during_a_request_carry_its_id(client, caplog, settings):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-00000001")
    assert response.status_code == 404
    assert [record.request_id for record in caplog.records if record.name == "django.request"] == ["trace-00000001"]


def test_metrics_need_the_token(client, settings):
    url = reverse("ops:metrics")
    settings.METRICS_TOKEN = ""
    assert client.get(url).status_code == 404
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get(reverse("ops:healthz"))
    body = client.get(url, HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert "django_http_requests_total_by_method_total" in body
    assert "lms_celery_task_failures_total" in body


@celery_app.task(name="tests.ops.always_fails")
def always_fails():
    raise ValueError("hỏng")


def test_a_failed_task_is_recorded_for_administrators(settings, mfa_client, make_person, province):
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    celery_app.conf.task_eager_propagates = False
    try:
        always_fails.apply()
    finally:
        celery_app.conf.task_eager_propagates = True
    failure = TaskFailure.objects.get(task_name="tests.ops.always_fails")
    assert (failure.exception_type, failure.message) == ("ValueError", "hỏng")
    assert "raise ValueError" in failure.traceback

    from accounts.models import User

    admin = User.objects.create_superuser("quantri.test", "qt@example.gov.vn", "Mat-khau-thu-nghiem-2026")
    client = mfa_client(admin)
    listing = client.get(reverse("task_failures:index"))
    assert listing.status_code == 200 and "tests.ops.always_fails" in listing.content.decode()
    assert client.get(reverse("task_failures:inspect", args=[failure.pk])).status_code == 200


def test_production_media_goes_to_object_storage_when_a_bucket_is_set():
    from tests.test_settings import POSTGRES_URL, REDIS_URL, SECRET_KEY, run_python

    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "from django.core.files.storage import storages;"
        "print(json.dumps([settings.STORAGES['default'], type(storages['default']).__name__]))"
    )
    result = run_python(
        code, DJANGO_SETTINGS_MODULE="lms.settings.production", DJANGO_SECRET_KEY=SECRET_KEY,
        DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL, AWS_STORAGE_BUCKET_NAME="lms-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.gov.vn",
    )
    assert result.returncode == 0, result.stderr
    default, storage_class = json.loads(result.stdout.strip().splitlines()[-1])
    assert default["BACKEND"] == "storages.backends.s3.S3Storage" and storage_class == "S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "lms-media"
    assert default["OPTIONS"]["default_acl"] == "private" and default["OPTIONS"]["querystring_auth"] is True


def test_pending_task_sends_are_listed_for_administrators_only(mfa_client, make_person, unit_a):
    from accounts.models import User
    from accounts.roles import Role
    from ops.models import PendingTask

    waiting = PendingTask.objects.create(task_name="certification.tasks.certificate_issue", args=[7], attempts=3,
                                         last_error="Connection refused")
    admin = User.objects.create_superuser("quantri.test", "qt@example.gov.vn", "Mat-khau-thu-nghiem-2026")
    client = mfa_client(admin)
    listing = client.get(reverse("pending_tasks:index"))
    assert listing.status_code == 200 and "certification.tasks.certificate_issue" in listing.content.decode()
    assert client.get(reverse("pending_tasks:inspect", args=[waiting.pk])).status_code == 200
    assert client.get(reverse("pending_tasks:edit", args=[waiting.pk])).status_code in (302, 403)
    assert PendingTask.objects.filter(pk=waiting.pk, attempts=3).exists()

    manager = make_person(unit=unit_a, roles=[Role.CURRICULUM_MANAGER]).user
    refused = mfa_client(manager).get(reverse("pending_tasks:index"))
    assert refused.status_code in (302, 403)
