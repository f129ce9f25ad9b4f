"""Settings shared by every environment. Everything that differs comes from environment variables.

No secret and no DEBUG=True here: see dev.py, test.py and production.py.
"""

import os
from pathlib import Path

import dj_database_url
import PIL.Image
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The province this deployment serves (official code, e.g. 40 for Nghệ An).
LMS_PROVINCE_CODE = int(os.environ.get("LMS_PROVINCE_CODE", "40"))
LMS_SITE_NAME = os.environ.get("LMS_SITE_NAME", "Học CNTT công vụ")

INSTALLED_APPS = [
    # Project apps, in dependency order: later ones may import earlier ones' public api.
    "accounts",
    "organisations",
    "courses",
    "assessments",
    "certification",
    "h5p",
    "placement",
    "privacy",
    "reports",
    "cms",
    "ops",
    # Wagtail
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_prometheus",
]

MIDDLEWARE = [
    # Outermost: request counts and latency for Prometheus (ops.views.metrics), then the request id.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "ops.request_id.RequestIdMiddleware",
    # First: routes the H5P content host to its own URLs and strips its cookies (h5p/middleware.py).
    "h5p.middleware.ContentOriginMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the user with one precompiled SELECT (accounts/authentication.py).
    "accounts.authentication.AuthenticationMiddleware",
    # A NUL character in the address or its query string: 400 before any lookup (lms/middleware.py).
    "lms.middleware.NulCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A CSP nonce per request, the Content-Security-Policy and no-store for signed-in people (lms/middleware.py).
    "lms.middleware.SecurityHeadersMiddleware",
    # A body larger than any upload the address accepts is refused (413) before it is read (lms/request_limits.py).
    "lms.request_limits.RequestBodyLimitMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAForPrivilegedRolesMiddleware",
    # Pages as anonymous visitors without a session see them, from the cache (cms/middleware.py).
    "cms.middleware.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
            "libraries": {"pagination": "lms.templatetags.pagination"},
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in production); the embedded default is SQLite in WAL mode.
SQLITE_PATH = BASE_DIR / os.environ.get("SQLITE_NAME", "db.sqlite3")
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # What the application acknowledged (an autosaved answer) survives a crash of PostgreSQL: its commits wait
    # until their WAL is written, whatever the server's own default (tests/reliability/test_kill_postgres.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=on"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Reports: statistics read their summary tables from a read-only PostgreSQL replica when
# DATABASE_REPLICA_URL is set (reports/db_router.py); tests mirror it onto the default database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["reports.db_router.StatisticsReplicaRouter"]

# Cache: Redis when REDIS_URL is set (it must be in production: rate limits need a shared cache). Django's
# Redis backend with one client per server reused (lms/cache.py): every signed-in request reads it twice.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "lms.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lms"}}

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
# Staff log in with their employee code (User.username) or e-mail, both case-insensitively.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "organisations.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One address per person: changing it replaces the old one once the new one is verified.
ACCOUNT_CHANGE_EMAIL = True
# Login, sign-up and password reset answer the same whether or not an account exists.
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an address without an account still gets a mail, to that address only, saying
# so: the page promises a mail either way, and a resident unsure which address they used learns it.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# After a reset the person logs in again, through every stage (the second factor included).
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_USERNAME_MIN_LENGTH = 2
# Per-IP and per-account (key) throttles. A whole department often shares one public address,
# so the per-account limit is the lock-out and the per-IP one is generous; a commune training
# session registers a roomful of residents from one address.
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "30/10m/ip,5/15m/key",
    "signup": "60/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "5/10m/key",
}
# Behind a reverse proxy the client address is in X-Forwarded-For: count the proxies we run,
# otherwise every request seems to come from the proxy and the per-IP limits become global.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = LMS_SITE_NAME
# allauth remembers a used code for one period: with no tolerance a code can never be replayed.
MFA_TOTP_TOLERANCE = 0
# Privileged roles enter a code at every login: no "trust this browser".
MFA_TRUST_ENABLED = False
# TOTP secrets are encrypted at rest with this Fernet key (derived from SECRET_KEY when unset).
MFA_ENCRYPTION_KEY = os.environ.get("MFA_ENCRYPTION_KEY", "")
# Passwords are set, reset and changed through allauth only (rate limits, notifications, MFA).
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# No Gravatar in the admin: avatars would be fetched from gravatar.com, leaking e-mail hashes off-site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a check for new Wagtail releases from the editors' browsers (releases.wagtail.org): agencies' networks are
# filtered, and upgrades go through the lock file.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Sessions
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day

# Headers on every environment (production adds HSTS, secure cookies, the SSL redirect). The CSP and
# Cache-Control: no-store come from lms.middleware.SecurityHeadersMiddleware; SECURITY.md describes them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# allauth ships no Vietnamese; its catalogue lives apart so makemessages --no-obsolete never drops it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth", BASE_DIR / "locale" / "wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["lms.formats"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads (issue 10): a body larger than this is refused with 413 before it is read (lms.request_limits);
# the H5P upload page alone accepts a package (H5P_MAX_UPLOAD_BYTES, below). Keep nginx's client_max_body_size
# in step (deploy/nginx/lms.conf). Each form then checks its own, smaller cap on the file's size.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", str(20 * 1024 * 1024)))
# Images are refused above this many pixels, read from the header before anything is decoded. Pillow's
# own limit, for every process that loads the settings (web, Celery, manage.py): Pillow refuses an image
# above twice MAX_IMAGE_PIXELS when it opens it (header only; between the two it only warns), so any
# reader (Wagtail's renditions, avatars, a script) refuses what is above LMS_MAX_IMAGE_PIXELS.
LMS_MAX_IMAGE_PIXELS = int(os.environ.get("LMS_MAX_IMAGE_PIXELS", "50000000"))
PIL.Image.MAX_IMAGE_PIXELS = LMS_MAX_IMAGE_PIXELS // 2

# E-mail
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Học CNTT công vụ <no-reply@localhost>")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Worker processes keep their database connection between tasks (Celery's Django fixup otherwise closes it
# around every task: a new PostgreSQL connection per task). lms/celery.py checks it around each task the way
# Django does around a request (CONN_MAX_AGE, errors, CONN_HEALTH_CHECKS); the fixup still closes it every
# CELERY_DB_REUSE_MAX tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing is bounded (issue 10, "Faults"): with the broker down a send gives up within about a second
# (one retry, a short connect timeout) and the project's on-commit sends keep it in the outbox
# (lms.celery_safe, ops.PendingTask) for the beat task ops.tasks.outbox_resend, never failing the request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
# Workers are split by queue (deploy/systemd): default, reports, certificates.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "certification.tasks.*": {"queue": "certificates"},
    "reports.tasks.*": {"queue": "reports"},
}
CELERY_BEAT_SCHEDULE = {
    "expire-roster-previews": {"task": "organisations.tasks.expire_roster_previews", "schedule": 60 * 60 * 24},
    "assignment-reminders": {
        "task": "courses.tasks.send_assignment_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "officer-digests": {
        "task": "courses.tasks.send_officer_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "competency-expiry": {"task": "certification.tasks.competencies_expire", "schedule": crontab(hour=2, minute=15)},
    # Statistics summaries (reports): touched buckets every few minutes, a full rebuild nightly.
    "reports-rollups-refresh": {
        "task": "reports.tasks.refresh_rollups",
        "schedule": 60 * int(os.environ.get("REPORTS_REFRESH_MINUTES", "10")),
    },
    "reports-rollups-rebuild": {"task": "reports.tasks.rebuild_rollups", "schedule": crontab(hour=1, minute=30)},
    # The programme targets' trend: each indicator's value recorded as each quarter begins.
    "reports-measure-indicators": {
        "task": "reports.tasks.measure_indicators",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=0, minute=45),
    },
    # Periodic reports of the province: the quarter (and after June / December the half-year, in January
    # the year) just closed, on each of the first days of the next quarter; issued once, later runs skip.
    "reports-scheduled-reports": {
        "task": "reports.tasks.issue_scheduled_reports",
        "schedule": crontab(day_of_month="1-7", month_of_year="1,4,7,10", hour=6, minute=0),
    },
    "quiz-overdue-attempts": {"task": "assessments.tasks.attempts_submit_overdue", "schedule": 60},
    "outbox-resend": {"task": "ops.tasks.outbox_resend", "schedule": 60},
    "privacy-request-reminders": {
        "task": "privacy.tasks.send_data_request_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
}

# Personal data (privacy app): a data subject's correction or deletion request is answered within this many
# hours of filing (Decree 356/2025/ND-CP asks for "within days"; 72 hours, the law's breach-notice period, is
# the stricter reading we apply).
PRIVACY_REQUEST_DEADLINE_HOURS = int(os.environ.get("PRIVACY_REQUEST_DEADLINE_HOURS", "72"))

# Wagtail
WAGTAIL_SITE_NAME = LMS_SITE_NAME
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Documents and images trainers upload (issue 10, "Uploads"): an allow-list of types, each checked by its
# content (cms.documents); documents always download as attachments (never rendered on this origin) with
# nosniff and a CSP of default-src 'none'; no SVG image (a script inside would run on this origin).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.documents.DocumentForm"
WAGTAILDOCS_EXTENSIONS = [
    "pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp", "txt", "csv", "zip",
    "mp4", "webm", "vtt",  # the video lesson block's file and captions
]
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Wagtail decodes an image before checking its pixels: cms.images reads them from the header first.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.ImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = LMS_MAX_IMAGE_PIXELS
# ASCII page addresses ("bao-mat-thong-tin"): Vietnamese letters would be percent-encoded in links.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Certificates (certification app)
# Serials read PREFIX-YEAR-NUMBER, e.g. NA-2026-000123, unique in the province.
CERTIFICATE_SERIAL_PREFIX = os.environ.get("CERTIFICATE_SERIAL_PREFIX", "NA")
# The address printed in certificates' QR codes (the public verification page lives under it); empty means
# WAGTAILADMIN_BASE_URL, read when a certificate is rendered (so dev.py's port-aware value applies).
LMS_PUBLIC_BASE_URL = os.environ.get("LMS_PUBLIC_BASE_URL", "")
# Public verification: at most this many look-ups per client address per period (seconds).
CERTIFICATE_VERIFY_RATE_LIMIT = int(os.environ.get("CERTIFICATE_VERIFY_RATE_LIMIT", "30"))
CERTIFICATE_VERIFY_RATE_PERIOD = int(os.environ.get("CERTIFICATE_VERIFY_RATE_PERIOD", "600"))
# Verifiable Credentials are signed with the province's Ed25519 key: CERTIFICATE_SIGNING_KEY (PEM, or base64 of
# the 32-byte seed or PKCS#8 DER); without it a key is generated on first use into CERTIFICATE_SIGNING_KEY_FILE.
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_KEY_FILE = os.environ.get(
    "CERTIFICATE_SIGNING_KEY_FILE", str(BASE_DIR / "var" / "certificate-signing-key.pem")
)
# External certificates people upload (PDF or image), in bytes.
EXTERNAL_CERTIFICATE_MAX_BYTES = int(os.environ.get("EXTERNAL_CERTIFICATE_MAX_BYTES", str(10 * 1024 * 1024)))
# Days before a competency expires when its holder (and their unit officer) are reminded, once.
COMPETENCY_EXPIRY_REMINDER_DAYS = int(os.environ.get("COMPETENCY_EXPIRY_REMINDER_DAYS", "30"))

# Roster import limits
ROSTER_IMPORT_MAX_BYTES = int(os.environ.get("ROSTER_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
ROSTER_IMPORT_MAX_ROWS = int(os.environ.get("ROSTER_IMPORT_MAX_ROWS", "20000"))

# Question bank import limits (assessments): upload size and questions per file
QUESTION_IMPORT_MAX_BYTES = int(os.environ.get("QUESTION_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
QUESTION_IMPORT_MAX_ITEMS = int(os.environ.get("QUESTION_IMPORT_MAX_ITEMS", "2000"))

# H5P activities (h5p app). Packages and the player are served from a separate, cookieless origin:
# another host name than the LMS (cookies are per host, not per port). The embedded default is the dev
# server reached as "localhost" while the LMS is "127.0.0.1"; production sets e.g. https://h5p.example.gov.vn.
H5P_CONTENT_ORIGIN = os.environ.get("H5P_CONTENT_ORIGIN", f"http://localhost:{os.environ.get('PORT', '8000')}")
H5P_MAX_UPLOAD_BYTES = int(os.environ.get("H5P_MAX_UPLOAD_BYTES", str(150 * 1024 * 1024)))
H5P_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("H5P_MAX_UNCOMPRESSED_BYTES", str(500 * 1024 * 1024)))
H5P_MAX_FILES = int(os.environ.get("H5P_MAX_FILES", "5000"))
H5P_MAX_COMPRESSION_RATIO = int(os.environ.get("H5P_MAX_COMPRESSION_RATIO", "100"))
# An xAPI statement larger than this is refused with 413.
H5P_STATEMENT_MAX_BYTES = int(os.environ.get("H5P_STATEMENT_MAX_BYTES", str(64 * 1024)))

# Logs go to stdout (journald or the container log), each line with the request id (ops.request_id);
# LOG_FORMAT=json writes one JSON object per line for a log collector.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail's reference-index tasks log every run at INFO: noise in the terminal and the logs.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

# Prometheus metrics at /metrics, for a scraper that sends this bearer token (empty: endpoint off).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Quizzes (assessments app)
# Answers arriving up to this many seconds after an attempt's deadline are still saved (network lag);
# later ones are refused, and the beat task submits attempts past deadline + grace.
QUIZ_ANSWER_GRACE_SECONDS = int(os.environ.get("QUIZ_ANSWER_GRACE_SECONDS", "30"))
