#!/usr/bin/env python3
"""Start the production stack on this machine without containers, drive it like a learner, stop it.

    .venv/bin/python deploy/stack_smoke.py            # make stack-smoke; CI runs it

It uses the PostgreSQL and Redis already running on localhost (a throw-away database `lms_stack_smoke`
and Redis databases 5 and 6), and starts what a province runs: gunicorn with lms.settings.production
(deploy/gunicorn.conf.py), one Celery worker consuming every queue, and Celery beat. Then, through
HTTP only, as nginx would forward it (Host header, X-Forwarded-Proto: https):

  1. /readyz reports the database, cache, broker and a worker ready;
  2. the demo learner logs in, opens "My learning" and resumes a lesson;
  3. works through every lesson of that course with the "Next" links; the last one places the demo
     quiz (assessments/demo.py), so the course is not complete yet;
  4. starts the quiz, answers every question through the autosave endpoint the page's script uses
     (the page carries no answer: the learner knows them, from the demo's answer key), sees them saved
     on reload, submits, and the review shows every mark and the correct answers: 100%, a pass;
  5. the certificate is issued by the real worker (the certificates queue), its PDF downloads, and its
     public verification page says it is valid;
  6. a Home Affairs statistics API token (manage.py reports_api_token) reads /api/statistics/v1/: after
     the worker refreshes the rollups (the reports queue), one more completion and one more
     certificate than before the learner started.

Everything it started is stopped and the database dropped, whatever happens; exit code 0 only if every
step passed. Nothing here is a test double: the same commands as deploy/systemd.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import secrets
import shutil
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
sys.path.insert(0, str(ROOT))

from assessments.demo import PASS_MARK, QUESTIONS, QUIZ_TITLE  # noqa: E402 (plain data: no Django setup needed)
from deploy.processes import start_process  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
PG = os.environ.get("STACK_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "lms_stack_smoke"
REDIS = os.environ.get("STACK_REDIS", "redis://127.0.0.1:6379")
PORT = int(os.environ.get("STACK_PORT", "8791"))
HOST = "lms.localhost"
DEMO_LOGIN, DEMO_PASSWORD = "demo.hocvien", "Hoc-CNTT-2026"
STATISTICS_READER = "demo.sonoivu"  # Sở Nội vụ: Home Affairs reads the whole province


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


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE,
                          text=True).stdout


def start(stack: ExitStack, env: dict[str, str], name: str, *command: str, log: Path) -> subprocess.Popen:
    return start_process(stack, env, name, *command, cwd=ROOT, log=log, say=say)


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

    def post_json(self, path: str, data: dict, *, csrf: str) -> requests.Response:
        """As the quiz page's script sends an answer: JSON with the CSRF token in a header."""
        headers = {**self._headers(path), "Content-Type": "application/json", "X-CSRFToken": csrf}
        response = self.session.post(self.base + path, data=json.dumps(data), headers=headers,
                                     allow_redirects=False, timeout=30)
        self._cookies()
        return response

    def api(self, path: str, token: str) -> requests.Response:
        return self.session.get(self.base + path, headers={**self._headers(path), "Authorization": f"Bearer {token}"},
                                allow_redirects=False, timeout=30)


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
        except (requests.ConnectionError, requests.Timeout):  # gunicorn still starting, or a loaded machine
            result = None
        if result:
            return result
        time.sleep(1)
    raise SystemExit(f"[stack] FAILED: {what} within {seconds:.0f} s")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    check(match is not None, "the form carries a CSRF token")
    return match.group(1)


def _plain(fragment: str) -> str:
    """Text of an HTML fragment as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def answer_for(question_html: str) -> dict:
    """The response the page's script would send for one question, answered from the demo's key."""
    stem = re.search(r'<div class="question-stem">(.*?)</div>', question_html, re.DOTALL)
    check(stem is not None, "a question shows its stem")
    known = {_plain(item.stem): item for item in QUESTIONS}
    item = known.get(_plain(stem.group(1)))
    check(item is not None, f"the question is one of the demo quiz's: {_plain(stem.group(1))[:60]}")
    if item.qtype == "true_false":
        return {"value": item.answer}
    if item.qtype == "short_answer":
        return {"text": item.answer}
    options = {_plain(text): value for value, text in re.findall(
        r'<input type="(?:radio|checkbox)" name="q\d+" value="([^"]+)"[^>]*>(.*?)</label>', question_html, re.DOTALL)}
    check(set(item.answer) <= set(options), f"the options of '{item.name}' are on the page")
    chosen = [options[text] for text in item.answer]
    return {"choice": chosen[0]} if item.qtype == "single_choice" else {"choices": chosen}


def take_quiz(browser: Browser, lesson_html: str) -> None:
    check(QUIZ_TITLE in lesson_html, f"the last lesson places the quiz '{QUIZ_TITLE}'")
    start = re.search(r'<form method="post" action="([^"]+/start/)">', lesson_html)
    check(start is not None, "the lesson offers to start the quiz")
    response = browser.post(local_path(start.group(1)), {"csrfmiddlewaretoken": csrf_token(lesson_html)})
    check(response.status_code == 302 and "/attempts/" in response.headers["Location"], "the attempt starts")
    attempt_path = local_path(response.headers["Location"])
    page = browser.get(attempt_path)
    check(page.status_code == 200, "the attempt page opens")
    autosave = re.search(r'data-autosave-url="([^"]+)"', page.text)
    check(autosave is not None, "the attempt page names its autosave endpoint")
    csrf = csrf_token(page.text)
    questions = re.findall(r'<fieldset class="quiz-question" data-slot="(\d+)"(.*?)</fieldset>', page.text, re.DOTALL)
    check(len(questions) == len(QUESTIONS), f"all {len(QUESTIONS)} questions on the page")
    rows = [row for item in QUESTIONS for row in item.payload.get("options", item.payload.get("answers", []))]
    feedback = [row["feedback"] for row in rows if row["feedback"]]
    check(not any(html.escape(text) in page.text or text in page.text for text in feedback),
          "the page carries no answer feedback (nothing that tells the right option)")
    for slot, block in questions:
        saved = browser.post_json(local_path(autosave.group(1)), {"slot": int(slot), "response": answer_for(block)},
                                  csrf=csrf)
        check(saved.status_code == 200 and saved.json().get("saved") is True, f"answer {slot} autosaved")
    again = browser.get(attempt_path).text
    check(again.count('data-state="saved"') == len(QUESTIONS), "on reload every answer shows as saved")

    submit_path = attempt_path.rstrip("/") + "/submit/"
    confirm = browser.get(submit_path)
    check(confirm.status_code == 200, "the submit page asks to confirm")
    response = browser.post(submit_path, {"csrfmiddlewaretoken": csrf_token(confirm.text)})
    check(response.status_code == 302 and "/review/" in response.headers["Location"], "the attempt is submitted")
    review = browser.get(local_path(response.headers["Location"]))
    score = f"Điểm: {len(QUESTIONS)} / {len(QUESTIONS)} (100%)"
    check(review.status_code == 200 and score in review.text and "Đáp án đúng" in review.text,
          f"the review shows '{score}' and the correct answers")
    # Passing completes the course: the certificate below is the proof, as the course requires the quiz.
    check(100 >= PASS_MARK, f"100% reaches the pass mark ({PASS_MARK}%)")


def province_figures(env: dict[str, str], token: str) -> dict:
    """The province's totals from the statistics API, after the worker refreshed the rollups."""
    output = manage(env, "shell", "-c", "from reports.tasks import refresh_rollups; "
                    "print('refreshed', refresh_rollups.delay().get(timeout=120))")
    refreshed = re.search(r"^refreshed (-?\d+)$", output, re.MULTILINE)
    check(refreshed is not None, "the worker refreshed the statistics rollups (reports queue)"
          + (f": {refreshed.group(1)} buckets" if refreshed else f"; the shell printed: {output.strip()[-300:]}"))
    response = Browser().api("/api/statistics/v1/statistics?period=year", token)
    check(response.status_code == 200, "the statistics API answers the Home Affairs token")
    return response.json()["total"]


def journey(browser: Browser, env: dict[str, str]) -> None:
    ready = wait_until("readiness", lambda: browser.get("/readyz").status_code == 200, 60)
    check(bool(ready), "/readyz: database, cache, broker and worker ready")

    token = manage(env, "reports_api_token", STATISTICS_READER, "--name", "stack smoke").strip()
    check(token.startswith("lms_"), f"a statistics API token for {STATISTICS_READER} (printed once)")
    check(Browser().api("/api/statistics/v1/statistics", "lms_not-a-token").status_code == 401,
          "the statistics API refuses a wrong token")
    before = province_figures(env, token)

    login = browser.get("/accounts/login/")
    response = browser.post("/accounts/login/", {"csrfmiddlewaretoken": csrf_token(login.text),
                                                  "login": DEMO_LOGIN, "password": DEMO_PASSWORD})
    check(response.status_code == 302, f"{DEMO_LOGIN} logs in")

    mine = browser.get("/learning/mine/")
    check(mine.status_code == 200 and "Học tập của tôi" in mine.text, "My learning answers in Vietnamese")
    resume = re.search(r'<a class="button" href="([^"]+)">Học tiếp</a>', mine.text)
    check(resume is not None, "My learning offers to resume the started course")

    path, seen, lesson = local_path(resume.group(1)), 0, None
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

    check(certificate_link() is None, "no certificate yet: the course ends with a quiz")
    take_quiz(browser, lesson.text)

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

    after = province_figures(env, token)
    check(after["completed"] == before["completed"] + 1 and after["certificates"] == before["certificates"] + 1,
          f"the statistics count the learner: completed {before['completed']} → {after['completed']}, "
          f"certificates {before['certificates']} → {after['certificates']}")


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
            journey(Browser(), env)
        except BaseException:
            for log in ("gunicorn.log", "worker.log", "beat.log"):
                print(f"----- {log} (last lines)", file=sys.stderr)
                print("\n".join((workdir / log).read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
            raise
    say("production stack smoke test passed; everything stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
