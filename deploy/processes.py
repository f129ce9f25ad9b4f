"""Start a long-running process of the stack (gunicorn, a Celery worker, beat) in its own process group,
logging to a file, and stop the whole group when the ExitStack closes: TERM, then KILL after 30 s.

Used by deploy/stack_smoke.py and bench/run.py, which run the production stack on this machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path


def start_process(stack: ExitStack, env: dict[str, str], name: str, *command: str, cwd: Path, log: Path,
                  say: Callable[[str], None] = print) -> subprocess.Popen:
    handle = log.open("w")
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)

    def stop() -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        handle.close()

    stack.callback(stop)
    say(f"started {name} (pid {process.pid}, log {log})")
    return process
