"""The settings modules: production refuses unsafe configuration, the embedded default is SQLite in WAL mode.

Each case imports a settings module in a fresh interpreter with a controlled environment, because settings
are read once per process and the test process itself runs on lms.settings.test.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables the settings read that must not leak from the caller's environment into these cases.
SETTINGS_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "SQLITE_NAME",
    "EMAIL_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
SECRET_KEY = "k3P9-xQ2vR7_mN4tW8zY1aB6cD0eF5gH-jL3nP7qS9uV2wX4yZ6-8bC0dE2fG4hJ6kL8mN0"
POSTGRES_URL = "postgres://lms:secret@db.example.invalid:5432/lms"
REDIS_URL = "redis://cache.example.invalid:6379/0"

# Prints the settings a case asserts on as JSON.
DUMP_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "TIME_ZONE": settings.TIME_ZONE,
}))
"""


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**env: str) -> subprocess.CompletedProcess:
    return run_python(DUMP_SETTINGS, DJANGO_SETTINGS_MODULE="lms.settings.production", **env)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": SECRET_KEY, "REDIS_URL": REDIS_URL}, "DATABASE_URL"),
        (
            {"DJANGO_SECRET_KEY": SECRET_KEY, "DATABASE_URL": "sqlite:////tmp/lms.sqlite3", "REDIS_URL": REDIS_URL},
            "DATABASE_URL",
        ),
        ({"DJANGO_SECRET_KEY": SECRET_KEY, "DATABASE_URL": POSTGRES_URL}, "REDIS_URL"),
    ],
    ids=["no-secret-key", "no-database-url", "sqlite-database-url", "no-redis-url"],
)
def test_production_refuses_to_start_without_required_services(env, missing):
    result = production(**env)

    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_with_complete_environment_is_secure():
    result = production(DJANGO_SECRET_KEY=SECRET_KEY, DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["CACHE"] == "lms.cache.RedisCache"
    assert values["STATICFILES"].startswith("whitenoise.")
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["LANGUAGE_CODE"] == "vi"
    assert values["TIME_ZONE"] == "Asia/Ho_Chi_Minh"


def test_production_deploy_check_prints_no_warning():
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": POSTGRES_URL,
            "REDIS_URL": REDIS_URL,
            "DJANGO_ALLOWED_HOSTS": "hoc.nghean.gov.vn",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_dev_defaults_to_sqlite_in_wal_mode(tmp_path):
    database = tmp_path / "dev.sqlite3"
    result = run_python(
        DUMP_SETTINGS
        + """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
""",
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        SQLITE_NAME=str(database),
    )

    assert result.returncode == 0, result.stderr
    *_, dumped, journal_mode = result.stdout.strip().splitlines()
    values = json.loads(dumped)
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert journal_mode == "wal"
    assert database.exists()
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["LANGUAGE_CODE"] == "vi"
    assert values["TIME_ZONE"] == "Asia/Ho_Chi_Minh"


def test_celery_uses_the_broker_when_one_is_configured():
    result = run_python(
        DUMP_SETTINGS, DJANGO_SETTINGS_MODULE="lms.settings.dev", CELERY_BROKER_URL="redis://127.0.0.1:6379/2"
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["CELERY_TASK_ALWAYS_EAGER"] is False


def test_vietnamese_language_and_time_zone_by_default():
    assert settings.LANGUAGE_CODE == "vi"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
