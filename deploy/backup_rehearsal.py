#!/usr/bin/env python3
"""Rehearse the backup and point-in-time restore of docs/DEPLOYMENT.md on this machine, and check that
the last acknowledged quiz answer survives.

    .venv/bin/python deploy/backup_rehearsal.py       # make backup-rehearsal; CI runs it

It needs the PostgreSQL server binaries (Debian: postgresql, /usr/lib/postgresql/<version>/bin) and
rsync; it touches no running server. In a temporary directory it:

  1. initdb's a throw-away cluster on a free port, with WAL archiving on (archive_command copies each
     finished WAL file to an archive directory, as in production);
  2. migrates the LMS into it, seeds the demo province and the demo quiz, and starts the demo
     learner's attempt;
  3. takes a base backup with the documented command (pg_basebackup -Ft -z -X stream -c fast) and
     backs the media up with rsync, checking every file's SHA-256;
  4. autosaves an answer (assessments' answer_save, what the autosave endpoint calls): once it
     returns, the answer is acknowledged; notes the server's time; then writes a later answer;
  5. kills PostgreSQL (pg_ctl stop -m immediate: no shutdown checkpoint) and starts it again: crash
     recovery keeps both answers;
  6. restores the base backup plus the WAL archive into a new data directory with
     recovery_target_time = the noted time: the acknowledged answer is there, the later one is not;
  7. restores again to the end of the archived WAL: both answers are there;
  8. loses the media directory and restores it from the backup: every checksum matches.

Every step is printed; everything is stopped and deleted at the end, whatever happens; exit code 0
only if every check passed.
"""

from __future__ import annotations

import datetime
import glob
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
ACKNOWLEDGED_TEXT = "RAM"  # the short-answer question of the demo quiz


def say(message: str) -> None:
    print(f"[backup] {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"[backup] FAILED: {message}")
    say(f"ok: {message}")


def pg_bin() -> Path:
    """PG_BIN, or the newest /usr/lib/postgresql/<version>/bin (Debian's layout)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(path.split("/")[4]))
    if not found:
        raise SystemExit("[backup] The PostgreSQL server binaries are missing (Debian: apt-get install postgresql).")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL cluster. As root (CI), the server runs as the postgres system user, as
    initdb refuses root."""

    def __init__(self, bin_dir: Path, data: Path, port: int, log: Path) -> None:
        self.bin, self.data, self.port, self.log = bin_dir, data, port, log
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *command: str, capture: bool = False) -> str:
        result = subprocess.run([*self.as_user, *command], check=True, text=True,
                                stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
        return result.stdout if capture else ""

    def tool(self, name: str, *args: str, capture: bool = False) -> str:
        return self.run(str(self.bin / name), *args, capture=capture)

    def initdb(self) -> None:
        self.tool("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--wal-segsize=1")

    def start(self) -> None:
        self.tool("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120",
                  "-o", f"-p {self.port}")

    def stop(self, mode: str = "fast") -> None:
        self.tool("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w")

    def running(self) -> bool:
        return subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "status", "-D", str(self.data)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

    def sql(self, query: str, database: str = "lms") -> str:
        return self.tool("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                         "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", query, capture=True).strip()

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/lms"


def own(path: Path) -> Path:
    """Create a directory the server's user owns (postgres when run as root)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)
    return path


def configure(cluster: Cluster, archive: Path, *, socket_dir: Path) -> None:
    settings = f"""
# backup rehearsal: production-like durability and WAL archiving
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
wal_level = replica
# Loading the schema is not what is rehearsed: it runs without fsync (turned on before the base backup).
fsync = off
synchronous_commit = off
archive_mode = on
archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'
max_wal_senders = 4
shared_buffers = 32MB
"""
    with (cluster.data / "postgresql.conf").open("a") as conf:
        conf.write(settings)


def restore_config(cluster: Cluster, archive: Path, *, socket_dir: Path, target_time: str | None) -> None:
    """The documented restore: restore_command from the archive, a target time (or the end of the WAL),
    promote at the end, recovery.signal in the data directory."""
    lines = [f"restore_command = 'cp {archive}/%f %p'", "recovery_target_action = 'promote'",
             f"unix_socket_directories = '{socket_dir}'", "archive_mode = off"]
    if target_time:
        lines.append(f"recovery_target_time = '{target_time}'")
    with (cluster.data / "postgresql.auto.conf").open("a") as conf:
        conf.write("\n".join(lines) + "\n")
    (cluster.data / "recovery.signal").touch()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(cluster.data / "recovery.signal", user.pw_uid, user.pw_gid)


def django_env(cluster: Cluster, media: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CELERY_"))}
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL", "SQLITE_NAME"):
        env.pop(name, None)
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.dev", DATABASE_URL=cluster.url, MEDIA_ROOT=str(media),
               DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
               EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def step(env: dict[str, str], name: str) -> dict:
    """Run one of the Django steps below in its own process (as the application would), read its JSON."""
    result = subprocess.run([str(PYTHON), __file__, "--step", name], cwd=ROOT, env=env, check=True,
                            stdout=subprocess.PIPE, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Django steps: run inside the application, with the rehearsal cluster as its database ---------------

def _django():
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def step_prepare() -> dict:
    """The demo quiz and the demo learner's open attempt; two media files as the application stores them."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from assessments.demo import demo_quiz_ensure
    from assessments.quizzes.services import attempt_start
    from organisations.models import Person

    quiz = demo_quiz_ensure()
    learner = Person.objects.get(user__username="demo.hocvien")
    attempt = attempt_start(person=learner, quiz=quiz)
    slots = {slot.version.qtype: slot.number for slot in attempt.slots.select_related("version")}
    names = [default_storage.save(f"rehearsal/{name}", ContentFile(secrets.token_bytes(size)))
             for name, size in (("chung-chi.pdf", 40_000), ("anh-bai-hoc.png", 120_000))]
    return {"attempt": attempt.pk, "short_answer": slots["short_answer"], "true_false": slots["true_false"],
            "media": names}


def _answer(slot: str, response) -> dict:
    from django.contrib.auth import get_user_model

    from assessments.quizzes.services import answer_save

    state = json.loads(os.environ["REHEARSAL_STATE"])
    learner = get_user_model().objects.get(username="demo.hocvien")
    saved = answer_save(user=learner, attempt_id=state["attempt"], slot_number=state[slot], response=response)
    return {"slot": saved.number, "saved_at": saved.saved_at.isoformat()}


def step_acknowledged() -> dict:
    return _answer("short_answer", {"text": ACKNOWLEDGED_TEXT})


def step_later() -> dict:
    return _answer("true_false", {"value": False})


STEPS = {"prepare": step_prepare, "acknowledged": step_acknowledged, "later": step_later}


# The rehearsal -------------------------------------------------------------------------------------

def answers(cluster: Cluster, attempt: int) -> dict[int, object]:
    rows = cluster.sql(f"SELECT number, coalesce(response::text, 'null') FROM assessments_attemptslot "
                       f"WHERE attempt_id = {int(attempt)} ORDER BY number")
    return {int(number): json.loads(response) for number, response in (row.split("|", 1) for row in rows.splitlines())}


def checksums(directory: Path) -> dict[str, str]:
    return {str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(directory.rglob("*")) if path.is_file()}


def wait_archived(cluster: Cluster, seconds: float = 60) -> str:
    """Finish the current WAL file (what archive_timeout does in production, at most 60 s later) and
    wait until the archive has it: what an operator watches in pg_stat_archiver."""
    needed = cluster.sql("SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        last = cluster.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
        if last and last >= needed:
            return needed
        time.sleep(0.5)
    stats = cluster.sql("SELECT last_archived_wal, failed_count, last_failed_wal FROM pg_stat_archiver")
    raise SystemExit(f"[backup] FAILED: WAL file {needed} archived within {seconds:.0f} s (archiver: {stats})")


def restore(bin_dir: Path, workdir: Path, base: Path, archive: Path, name: str, target_time: str | None) -> Cluster:
    cluster = Cluster(bin_dir, own(workdir / name), free_port(), workdir / "logs" / f"{name}.log")
    os.chmod(cluster.data, 0o700)
    cluster.run("tar", "-xzf", str(base / "base.tar.gz"), "-C", str(cluster.data))
    cluster.run("tar", "-xzf", str(base / "pg_wal.tar.gz"), "-C", str(cluster.data / "pg_wal"))
    restore_config(cluster, archive, socket_dir=workdir / "sockets", target_time=target_time)
    cluster.start()
    deadline = time.monotonic() + 120
    while cluster.sql("SELECT pg_is_in_recovery()", database="postgres") != "f":
        if time.monotonic() > deadline:
            raise SystemExit(f"[backup] FAILED: {name} left recovery within 120 s")
        time.sleep(0.5)
    return cluster


def rehearse(stack: ExitStack, workdir: Path) -> None:
    bin_dir = pg_bin()
    for tool in ("rsync", "tar"):
        if shutil.which(tool) is None:
            raise SystemExit(f"[backup] {tool} is missing.")
    archive, base, sockets = own(workdir / "wal-archive"), own(workdir / "base"), own(workdir / "sockets")
    media, media_backup = workdir / "media", workdir / "media-backup"

    say(f"1. a throw-away cluster ({bin_dir.parent.name}) with WAL archiving to {archive}")
    primary = Cluster(bin_dir, own(workdir / "primary"), free_port(), own(workdir / "logs") / "primary.log")
    primary.initdb()
    configure(primary, archive, socket_dir=sockets)
    clusters = [primary]

    def stop_all() -> None:
        for cluster in clusters:
            if cluster.running():
                cluster.stop("immediate")

    stack.callback(stop_all)
    primary.start()
    primary.sql("CREATE DATABASE lms", database="postgres")

    say("2. migrate the LMS, seed the demo province and quiz, start the demo learner's attempt")
    env = django_env(primary, media)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo", "--people", "0")
    state = step(env, "prepare")
    env["REHEARSAL_STATE"] = json.dumps(state)
    check(len(checksums(media)) == 2, "the application stored two media files")

    say("3. production durability on (fsync, synchronous_commit), then a base backup "
        "(pg_basebackup -Ft -z -X stream -c fast) and a media backup (rsync)")
    primary.sql("ALTER SYSTEM SET fsync = on", database="postgres")
    primary.sql("ALTER SYSTEM SET synchronous_commit = on", database="postgres")
    primary.sql("SELECT pg_reload_conf()", database="postgres")
    time.sleep(1)
    primary.sql("CHECKPOINT", database="postgres")
    check(primary.sql("SHOW fsync", database="postgres") == "on"
          and primary.sql("SHOW synchronous_commit", database="postgres") == "on", "fsync and synchronous_commit on")
    primary.tool("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D", str(base),
                 "-Ft", "-z", "-X", "stream", "-c", "fast")
    check((base / "base.tar.gz").exists() and (base / "pg_wal.tar.gz").exists(), "the base backup is written")
    subprocess.run(["rsync", "-a", "--delete", f"{media}/", f"{media_backup}/"], check=True)
    check(checksums(media_backup) == checksums(media), "the media backup matches, file by file (SHA-256)")

    say("4. the acknowledged answer, the time, then a later answer")
    acknowledged = step(env, "acknowledged")
    check(acknowledged["slot"] == state["short_answer"], f"answer '{ACKNOWLEDGED_TEXT}' acknowledged "
          f"(saved at {acknowledged['saved_at']})")
    time.sleep(1)
    noted = primary.sql("SELECT clock_timestamp()")
    time.sleep(1)
    later = step(env, "later")
    say(f"noted time {noted}; later answer saved at {later['saved_at']}")
    check(bool(wait_archived(primary)), "the WAL holding both answers is archived")

    say("5. kill PostgreSQL (pg_ctl stop -m immediate) and start it again: crash recovery")
    primary.stop("immediate")
    primary.start()
    after_crash = answers(primary, state["attempt"])
    check(after_crash[state["short_answer"]] == {"text": ACKNOWLEDGED_TEXT}
          and after_crash[state["true_false"]] == {"value": False}, "after the crash both answers are there")
    primary.stop("immediate")

    say(f"6. restore the base backup and the WAL archive to the noted time ({noted})")
    pitr = restore(bin_dir, workdir, base, archive, "restored-pitr", noted)
    clusters.append(pitr)
    restored = answers(pitr, state["attempt"])
    check(restored[state["short_answer"]] == {"text": ACKNOWLEDGED_TEXT}, "the acknowledged answer survived")
    check(restored[state["true_false"]] is None, "the answer written after the noted time is not there")
    pitr.stop()

    say("7. restore again, to the end of the archived WAL")
    latest = restore(bin_dir, workdir, base, archive, "restored-latest", None)
    clusters.append(latest)
    restored = answers(latest, state["attempt"])
    check(restored[state["short_answer"]] == {"text": ACKNOWLEDGED_TEXT}
          and restored[state["true_false"]] == {"value": False}, "both answers are there")
    latest.stop()

    say("8. lose the media directory and restore it from the backup")
    expected = checksums(media)
    shutil.rmtree(media)
    subprocess.run(["rsync", "-a", f"{media_backup}/", f"{media}/"], check=True)
    check(checksums(media) == expected, f"{len(expected)} media files restored, every checksum matches")


def main() -> int:
    if "--step" in sys.argv:
        _django()
        print(json.dumps(STEPS[sys.argv[sys.argv.index("--step") + 1]]()))
        return 0
    if not PYTHON.exists():
        raise SystemExit("Run `make test` or `make run` once first: it creates .venv.")
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="lms-backup-"))
    os.chmod(workdir, 0o755)
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, True)
        # A stop of the rehearsal (Ctrl-C, CI timeout) still stops its servers and deletes its files.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        try:
            rehearse(stack, workdir)
        except BaseException:
            for log in sorted(workdir.glob("logs/*.log")):
                print(f"----- {log.name} (last lines)", file=sys.stderr)
                print("\n".join(log.read_text(errors="replace").splitlines()[-20:]), file=sys.stderr)
            raise
    say(f"backup and restore rehearsal passed in {time.monotonic() - started:.0f} s; everything deleted "
        f"({datetime.datetime.now(datetime.UTC):%H:%M:%S} UTC)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
