"""Start a real Celery worker process for a test, on a queue of its own, and always stop it."""

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

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    queue: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


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
def running_worker(*, prefix: str, work_dir: Path, env: dict[str, str] | None = None) -> Iterator[WorkerProcess]:
    """A worker on the test settings listening on a fresh queue (no other worker can take its tasks).

    It never runs tasks eagerly: a worker executes what it receives. The test fails with the worker's
    log if it exits or is not ready within START_TIMEOUT seconds.
    """
    queue = f"{prefix}-{uuid.uuid4().hex[:12]}"
    log_path = work_dir / f"{queue}.log"
    command = [
        *(sys.executable, "-m", "celery", "-A", "lms", "worker"),
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
