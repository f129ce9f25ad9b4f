#!/usr/bin/env python3
"""Start the production stack on this machine without containers, drive it like a learner, stop it.

    .venv/bin/python deploy/stack_smoke.py            # make stack-smoke; CI runs it

It uses the PostgreSQL and Redis already running on localhost (a throw-away database `lms_stack_smoke`
and Redis databases 5 and 6), and starts what a province runs: gunicorn with lms.settings.production
(deploy/gunicorn.conf.py), one Celery worker consuming every queue, and Celery beat. Then, through
HTTP only, as nginx would forward it (Host header, X-Forwarded-Proto: https):

  1. /readyz reports the database, cache, broker and a worker ready;
  2. the demo learner logs in, opens "My learning" and resumes a lesson;
  3. works through every lesson of that course with the "Next" links, so the course completes;
  4. the certificate is issued by the real worker (the certificates queue), its PDF downloads, and its
     public verification page says it is valid.

Everything it started is stopped and the database dropped, whatever happens; exit code 0 only if every
step passed. Nothing here is a test double: the same commands as deploy/systemd.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urljoin

import requests
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PG = os.environ.get("STACK_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "lms_stack_smoke"
REDIS = os.environ.get("STACK_REDIS", "redis://127.0.0.1:6379")
PORT = int(os.environ.get("STACK_PORT", "8791"))
HOST = "lms.localhost"
DEMO_LOGIN, DEMO_PASSWORD = "demo.hocvien", "Hoc-CNTT-2026"


def say(message: str) -> None:
    print(f"[stack] {message}", flush=True)


def environment(workdir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"{PG}/{DATABASE}",
        REDIS_URL=f"{REDIS}/5",
        CELERY_BROKER_URL=f"{REDIS}/6",
        CELERY_RESULT_BACKEND=f"{REDIS}/5",
        MEDIA_ROOT=str(workdir / "media"),
        WAGTAILADMIN_BASE_URL=f"https://{HOST}",
        H5P_CONTENT_ORIGIN=f"https://h5p.{HOST}",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS="2",
        PROMETHEUS_MULTIPROC_DIR=str(workdir / "prometheus"),
        CERTIFICATE_SIGNING_KEY_FILE=str(workdir / "certificate-signing-key.pem"),
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def start(stack: ExitStack, env: dict[str, str], name: str, *command: str, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
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


class Browser:
    """requests with what nginx adds: the Host, X-Forwarded-Proto and Origin of the HTTPS site. Cookies
    are Secure in production; the hop from nginx to gunicorn is plain HTTP, so they are sent here anyway."""

    def __init__(self) -> None:
        self.session = requests.Session()
        self.base = f"http://127.0.0.1:{PORT}"

    def _headers(self, path: str) -> dict[str, str]:
        return {"Host": HOST, "X-Forwarded-Proto": "https", "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}"}

    def _cookies(self) -> None:
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str) -> requests.Response:
        response = self.session.get(self.base + path, headers=self._headers(path), allow_redirects=False, timeout=30)
        self._cookies()
        return response

    def post(self, path: str, data: dict) -> requests.Response:
        response = self.session.post(self.base + path, data=data, headers=self._headers(path),
                                     allow_redirects=False, timeout=30)
        self._cookies()
        return response


def local_path(url: str) -> str:
    """A link of the site (absolute https://HOST/... or relative) as a path on this node."""
    return re.sub(rf"^https?://{re.escape(HOST)}", "", urljoin(f"https://{HOST}/", url))


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"[stack] FAILED: {message}")
    say(f"ok: {message}")


def wait_until(what: str, probe, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = probe()
        except requests.ConnectionError:  # gunicorn still starting
            result = None
        if result:
            return result
        time.sleep(1)
    raise SystemExit(f"[stack] FAILED: {what} within {seconds:.0f} s")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    check(match is not None, "the form carries a CSRF token")
    return match.group(1)


def journey(browser: Browser) -> None:
    ready = wait_until("readiness", lambda: browser.get("/readyz").status_code == 200, 60)
    check(bool(ready), "/readyz: database, cache, broker and worker ready")

    login = browser.get("/accounts/login/")
    response = browser.post("/accounts/login/", {"csrfmiddlewaretoken": csrf_token(login.text),
                                                  "login": DEMO_LOGIN, "password": DEMO_PASSWORD})
    check(response.status_code == 302, f"{DEMO_LOGIN} logs in")

    mine = browser.get("/learning/mine/")
    check(mine.status_code == 200 and "Học tập của tôi" in mine.text, "My learning answers in Vietnamese")
    resume = re.search(r'<a class="button" href="([^"]+)">Học tiếp</a>', mine.text)
    check(resume is not None, "My learning offers to resume the started course")

    path, seen = local_path(resume.group(1)), 0
    while path:
        lesson = browser.get(path)
        check(lesson.status_code == 200, f"lesson {path} opens")
        seen += 1
        following = re.search(r'<a href="([^"]+)" rel="next">', lesson.text)
        path = local_path(following.group(1)) if following else ""
    check(seen >= 2, f"{seen} lessons opened, to the end of the course")

    def certificate_link():
        page = browser.get("/certificates/mine/").text
        match = re.search(r'href="(/certificates/(\d+)/pdf/)"', page)
        return match.group(1) if match else None

    pdf_path = wait_until("the worker issues the certificate", certificate_link, 90)
    pdf = browser.get(pdf_path)
    check(pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"), "the certificate's PDF downloads")
    # Verify as someone holding the paper would: the serial and check code printed on it, read back
    # from the PDF, typed into the public page (no login).
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    serial = re.search(r"Số hiệu: ([A-Z]+-\d{4}-\d{6})", text)
    check_code = re.search(r"Mã kiểm tra: (\S+)", text)
    check(serial is not None and check_code is not None, "the PDF prints the serial and its check code")
    check("Nguyễn Thị Hồng Nhung" in text, "the PDF names the learner with every diacritic")
    visitor = Browser()
    form = visitor.get("/verify/")
    public = visitor.post("/verify/", {"csrfmiddlewaretoken": csrf_token(form.text), "serial": serial.group(1),
                                       "check_code": check_code.group(1)})
    check(public.status_code == 200 and "Nguyễn Thị Hồng Nhung" in public.text
          and "Chứng chỉ này còn hiệu lực." in public.text, "anyone can verify it, no login: valid")


def main() -> int:
    if not PYTHON.exists():
        raise SystemExit("Run `make test` or `make run` once first: it creates .venv.")
    workdir = Path(tempfile.mkdtemp(prefix="lms-stack-"))
    (workdir / "prometheus").mkdir()
    env = environment(workdir)
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, True)
        subprocess.run(["dropdb", "--if-exists", "--force", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
        stack.callback(subprocess.run, ["dropdb", "--if-exists", "--force", "-h", "127.0.0.1", "-U", "postgres", DATABASE])
        subprocess.run(["redis-cli", "-u", f"{REDIS}/5", "flushdb"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["redis-cli", "-u", f"{REDIS}/6", "flushdb"], check=True, stdout=subprocess.DEVNULL)

        say("migrate, collectstatic and the demo province (production settings)")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "seed_demo", "--people", "40")
        manage(env, "seed_demo_courses")
        manage(env, "seed_demo_learning")

        venv = ROOT / ".venv" / "bin"
        start(stack, env, "gunicorn", str(venv / "gunicorn"), "--config", "deploy/gunicorn.conf.py",
              "lms.wsgi:application", log=workdir / "gunicorn.log")
        start(stack, env, "celery worker", str(venv / "celery"), "-A", "lms", "worker", "-Q",
              "default,certificates,reports", "--concurrency", "2", "--loglevel", "INFO", "-n", "stack@%h",
              log=workdir / "worker.log")
        start(stack, env, "celery beat", str(venv / "celery"), "-A", "lms", "beat", "--loglevel", "INFO",
              "--schedule", str(workdir / "beat-schedule"), log=workdir / "beat.log")
        try:
            journey(Browser())
        except BaseException:
            for log in ("gunicorn.log", "worker.log", "beat.log"):
                print(f"----- {log} (last lines)", file=sys.stderr)
                print("\n".join((workdir / log).read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
            raise
    say("production stack smoke test passed; everything stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
