"""Settings for the test suite. DATABASE_URL / CELERY_BROKER_URL / REDIS_URL switch it to real services."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The Celery round-trip test starts its worker with a file-based EMAIL_BACKEND to see what the worker sent.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The unit tests run tasks in-process; the Celery round-trip test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
