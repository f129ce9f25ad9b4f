"""Start a real Celery worker process for a test, on a queue of its own, and always stop it (or kill it)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    queue: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9 the worker's whole process group, as a crash or the OOM killer would: no clean-up runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)


def worker_database_url() -> str | None:
    """A DATABASE_URL for the test database, or None when another process cannot open it (in-memory SQLite)."""
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        name = str(settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            return None
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{settings_dict['NAME']}"))


def _stop(process: subprocess.Popen) -> None:
    """Stop the worker and anything it started (it runs in a process group of its own)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


@contextlib.contextmanager
def running_worker(
    *, prefix: str, work_dir: Path, env: dict[str, str] | None = None, queue: str | None = None, app: str = "lms"
) -> Iterator[WorkerProcess]:
    """A worker on the test settings listening on a fresh queue (no other worker can take its tasks), or on
    the given one (a worker started after another was killed); `app` is the module Celery loads (-A).

    It never runs tasks eagerly: a worker executes what it receives. The test fails with the worker's
    log if it exits or is not ready within START_TIMEOUT seconds.
    """
    queue = queue or f"{prefix}-{uuid.uuid4().hex[:12]}"
    log_path = work_dir / f"{queue}-{uuid.uuid4().hex[:6]}.log"
    command = [
        *(sys.executable, "-m", "celery", "-A", app, "worker"),
        *("--pool=solo", "--concurrency=1", "-l", "info", "-Q", queue, "-n", f"{queue}@%h"),
        *("--without-gossip", "--without-mingle"),
    ]
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test", **(env or {})}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = WorkerProcess(process, queue, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while " ready." not in worker.log():
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with code {process.returncode}; its log:\n{worker.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker was not ready after {START_TIMEOUT} s; its log:\n{worker.log()}")
            time.sleep(0.2)
        yield worker
    finally:
        _stop(process)
