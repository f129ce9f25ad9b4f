"""The embedded default: SQLite, local media, Celery eager, e-mails written to the console."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
# Serve static files straight from the apps' folders: no collectstatic needed on the embedded default.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
