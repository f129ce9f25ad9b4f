"""Readiness checks: can this web node serve requests right now?

Each check_* function returns quietly when its dependency works and raises when it does not; readiness() runs
them all, times each one and says which failures make the node unready. Nothing here reads or returns personal
data, and a failure is reported by its exception type only (broker and database errors can echo URLs that
carry passwords); the full error goes to the log.
"""

import enum
import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

from lms.celery import app as celery_app

logger = logging.getLogger(__name__)

# Below this much free space on the media disk, uploads (course files, H5P packages, certificates) are at risk.
DEFAULT_MEDIA_MIN_FREE_BYTES = 1024 * 1024 * 1024
# A probe must answer well within a load balancer's timeout, so broker checks give up quickly.
BROKER_TIMEOUT_SECONDS = 1.0
WORKER_PING_TIMEOUT_SECONDS = 1.0


class CheckFailed(Exception):
    """A dependency answered, but not well enough. The message is safe to show (it carries no secret)."""


class Status(enum.StrEnum):
    OK = "ok"
    FAIL = "fail"
    NOT_CONFIGURED = "not_configured"
    # Not run because a check it depends on failed (no worker can be pinged through an unreachable broker).
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    # A failed required check makes the node unready (HTTP 503); an optional one only makes it "degraded".
    required: bool
    latency_ms: float | None = None
    error: str = ""

    def as_dict(self) -> dict:
        data = {"status": self.status.value, "required": self.required, "latency_ms": self.latency_ms}
        if self.error:
            data["error"] = self.error
        return data


@dataclass(frozen=True)
class Readiness:
    checks: list[CheckResult]

    @property
    def ready(self) -> bool:
        return not any(check.required and check.status == Status.FAIL for check in self.checks)

    @property
    def status(self) -> str:
        if not self.ready:
            return "fail"
        if any(check.status == Status.FAIL for check in self.checks):
            return "degraded"
        return "ok"

    def as_dict(self) -> dict:
        return {"status": self.status, "checks": {check.name: check.as_dict() for check in self.checks}}


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if row is None or row[0] != 1:
        raise CheckFailed("SELECT 1 returned an unexpected row")


def check_cache() -> None:
    # A fresh key per probe: two nodes probing at once must not read each other's value.
    key = f"ops:readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise CheckFailed("the cache did not return the value just stored")
    finally:
        cache.delete(key)


def media_min_free_bytes() -> int:
    return int(getattr(settings, "OPS_MEDIA_MIN_FREE_BYTES", DEFAULT_MEDIA_MIN_FREE_BYTES))


def check_media_storage() -> None:
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        # Object storage (production with a bucket): write, read back and delete a small object.
        name = storage.save(f".readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
        try:
            with storage.open(name) as handle:
                if handle.read() != b"ok":
                    raise CheckFailed("the object read back differs from the one written")
        finally:
            storage.delete(name)
        return
    root = Path(settings.MEDIA_ROOT)
    # Writing a file is the only honest test: permission bits say nothing about read-only mounts or full quotas.
    with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-"):
        pass
    free = shutil.disk_usage(root).free
    minimum = media_min_free_bytes()
    if free < minimum:
        raise CheckFailed(f"free space {free // 2**20} MiB is below the {minimum // 2**20} MiB threshold")


def broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def _broker_connection():
    return celery_app.connection_for_write(
        url=settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options={
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
            "socket_timeout": BROKER_TIMEOUT_SECONDS,
        },
    )


def check_broker() -> None:
    with _broker_connection() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)


def check_workers() -> None:
    """At least one Celery worker answers a ping (any queue: the answer proves workers are consuming)."""
    with _broker_connection() as connection:
        replies = celery_app.control.ping(timeout=WORKER_PING_TIMEOUT_SECONDS, limit=1, connection=connection)
    if not replies:
        raise CheckFailed(f"no Celery worker answered within {WORKER_PING_TIMEOUT_SECONDS:g} s")


def _run(name: str, check: Callable[[], None], *, required: bool) -> CheckResult:
    started = time.perf_counter()
    try:
        check()
    except CheckFailed as error:
        status, message = Status.FAIL, str(error)
    except Exception as error:  # noqa: BLE001 - any exception means the dependency is not usable
        logger.warning("Readiness check %s failed", name, exc_info=True)
        status, message = Status.FAIL, type(error).__name__
    else:
        status, message = Status.OK, ""
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return CheckResult(name=name, status=status, required=required, latency_ms=latency_ms, error=message)


def readiness() -> Readiness:
    """Run every check. The module-level functions are looked up at call time, so tests can replace them."""
    results = [
        _run("database", check_database, required=True),
        _run("cache", check_cache, required=True),
        _run("media_storage", check_media_storage, required=True),
    ]
    if not broker_configured():
        # Tasks then run eagerly inside the web process: there is no broker and no worker to wait for.
        results.append(CheckResult(name="broker", status=Status.NOT_CONFIGURED, required=False))
        results.append(CheckResult(name="workers", status=Status.NOT_CONFIGURED, required=False))
        return Readiness(results)
    broker = _run("broker", check_broker, required=True)
    results.append(broker)
    if broker.status == Status.OK:
        # Optional: a web node still serves pages while workers restart; monitoring alerts on "degraded".
        results.append(_run("workers", check_workers, required=False))
    else:
        results.append(CheckResult(name="workers", status=Status.SKIPPED, required=False))
    return Readiness(results)
