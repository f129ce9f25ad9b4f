# The LMS application image. One image for every role: gunicorn (the default command), the Celery
# workers and beat (docker-compose.yml overrides the command). Documented only: no Docker engine runs
# on the machine this was written on, so the image has not been built there (docs/DEPLOYMENT.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=lms.settings.production \
    GUNICORN_BIND=0.0.0.0:8000 \
    MEDIA_ROOT=/var/lib/lms/media

# The same paths as the Debian host layout, so deploy/nginx/lms.conf serves both unchanged.
WORKDIR /srv/lms/app

RUN groupadd --system lms \
 && useradd --system --gid lms --home-dir /srv/lms --shell /usr/sbin/nologin lms

# Dependencies first: this layer is rebuilt only when requirements.lock changes. Every wheel in the lock
# (psycopg-binary, Pillow, cryptography) bundles its C libraries, so no compiler or -dev package is needed.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# collectstatic imports the production settings, which insist on these variables; nothing connects to
# them here, so build-time placeholders are enough. MEDIA_ROOT and the beat schedule folder belong to
# the lms user, so named volumes mounted there start out writable by it.
RUN DJANGO_SECRET_KEY=collectstatic-only \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && mkdir -p /var/lib/lms/media /var/lib/lms/beat \
 && chown -R lms:lms staticfiles /var/lib/lms

USER lms
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "lms.wsgi:application"]
