"""/healthz (liveness) and /readyz (readiness): what each check reports and when the node counts as unready."""

import os
import time

import pytest
from django.db import OperationalError

from lms.celery import app as celery_app
from ops import checks
from tests.celery_worker import running_worker

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def ready_setup(settings, tmp_path):
    """The test setup as CI's first run has it: no broker (eager tasks), a writable media folder."""
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path
    return settings


def readyz(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response, response.json()


def test_healthz_answers_ok_without_touching_any_dependency(client):
    # No db fixture: any database query would raise, so this also proves liveness does not need the database.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_readyz_is_ready_on_the_test_setup(client, db, ready_setup):
    response, body = readyz(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "media_storage", "broker", "workers"}
    for name in ("database", "cache", "media_storage"):
        check = body["checks"][name]
        assert check["status"] == "ok", (name, check)
        assert check["required"] is True
        assert isinstance(check["latency_ms"], float) and check["latency_ms"] >= 0
    for name in ("broker", "workers"):
        assert body["checks"][name] == {"status": "not_configured", "required": False, "latency_ms": None}


def test_readyz_leaves_no_probe_file_in_media(client, db, ready_setup, tmp_path):
    readyz(client)

    assert list(tmp_path.iterdir()) == []


def test_readyz_fails_when_the_database_fails_without_echoing_the_error(client, db, ready_setup, monkeypatch):
    def database_down():
        raise OperationalError("could not connect to postgres://lms:s3cret-password@db.internal:5432/lms")

    monkeypatch.setattr(checks, "check_database", database_down)

    response, body = readyz(client)

    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "fail"
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert body["checks"]["cache"]["status"] == "ok"
    assert b"s3cret-password" not in response.content
    assert b"db.internal" not in response.content


def test_readyz_fails_when_the_cache_does_not_keep_values(client, db, ready_setup):
    ready_setup.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response, body = readyz(client)

    assert response.status_code == 503
    assert body["checks"]["cache"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_fails_when_media_is_not_writable(client, db, ready_setup, tmp_path):
    # A path that does not exist: unlike permission bits, this cannot be bypassed by running as root.
    ready_setup.MEDIA_ROOT = tmp_path / "not-mounted"

    response, body = readyz(client)

    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["media_storage"]["status"] == "fail"
    assert body["checks"]["media_storage"]["error"] == "FileNotFoundError"


def test_readyz_fails_when_media_free_space_is_below_the_threshold(client, db, ready_setup):
    ready_setup.OPS_MEDIA_MIN_FREE_BYTES = 2**62

    response, body = readyz(client)

    assert response.status_code == 503
    assert body["checks"]["media_storage"]["status"] == "fail"
    assert "below the" in body["checks"]["media_storage"]["error"]


def test_readyz_fails_fast_when_the_broker_is_unreachable(client, db, ready_setup):
    ready_setup.CELERY_BROKER_URL = CLOSED_PORT_BROKER

    started = time.monotonic()
    response, body = readyz(client)
    elapsed = time.monotonic() - started

    assert elapsed < 3, elapsed
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["status"] == "fail"
    assert body["checks"]["broker"]["required"] is True
    # No worker can be pinged through a broker that is down: the check is skipped, not run into a timeout.
    assert body["checks"]["workers"] == {"status": "skipped", "required": False, "latency_ms": None}


def test_readyz_reports_a_missing_worker_as_degraded_but_stays_ready(client, db, ready_setup, monkeypatch):
    ready_setup.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    monkeypatch.setattr(checks, "check_broker", lambda: None)
    monkeypatch.setattr(celery_app.control, "ping", lambda **kwargs: [])

    response, body = readyz(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["broker"]["status"] == "ok"
    assert body["checks"]["workers"]["status"] == "fail"
    assert body["checks"]["workers"]["required"] is False


@pytest.fixture
def celery_worker_process(tmp_path):
    """A real worker on a queue of its own (so it takes no other test's tasks); it still answers pings."""
    with running_worker(prefix="lms-readyz", work_dir=tmp_path) as worker:
        yield worker.process


@pytest.mark.broker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs a real broker: set CELERY_BROKER_URL")
def test_readyz_finds_the_real_broker_and_a_running_worker(client, db, settings, tmp_path, celery_worker_process):
    settings.MEDIA_ROOT = tmp_path
    assert settings.CELERY_BROKER_URL

    response, body = readyz(client)

    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["broker"]["status"] == "ok"
    assert body["checks"]["workers"]["status"] == "ok"
    assert body["checks"]["workers"]["latency_ms"] < 1000 * checks.WORKER_PING_TIMEOUT_SECONDS


class BrokenBucket:
    """An object storage that cannot be written (a revoked key, an unreachable endpoint)."""

    def save(self, name, content, max_length=None):
        raise OSError("endpoint unreachable")


def test_readyz_checks_object_storage_through_the_storage_api(client, db, ready_setup, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    body = client.get("/readyz").json()
    assert body["checks"]["media_storage"]["status"] == "ok"
    from django.core.files.storage import storages

    assert storages["default"].listdir(".readyz")[1] == []  # the probe object was deleted

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.ops.test_health.BrokenBucket"}}
    body = client.get("/readyz").json()
    assert body["checks"]["media_storage"]["status"] == "fail"
    assert body["checks"]["media_storage"]["error"] == "OSError"
