"""One settings module; every deployment difference comes from the environment.

Every variable is optional and listed in README.md (Configuration); docs/deploy.md shows a
production set.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str) -> str:
    """Return an environment string, reading NAME_FILE first (container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: str) -> bool:
    value = env_str(name, default).lower()
    if value not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
        raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: str) -> int:
    value = env_str(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("ZIMAO_VAR_DIR", str(PROJECT_DIR / "var")))
DEBUG = env_bool("DEBUG", "false")
# The fallback key only lets commands and tests run on a fresh clone. A server refuses to start
# with it unless DEBUG is on (zimao.web.checks); `make run` generates a key in var/ instead.
DEVELOPMENT_SECRET_KEY = "zimao-insecure-local-key-set-SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Signs backups (zimao/ops/backup.py); kept outside every backup. Default: from SECRET_KEY.
BACKUP_KEY = env_str("ZIMAO_BACKUP_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
PAGE_SIZE = env_int("ZIMAO_PAGE_SIZE", "50")
MAX_UPLOAD_MB = env_int("ZIMAO_MAX_UPLOAD_MB", "20")
# Each uploaded file is read in a child process capped at these (a refusal names the cap).
DOCUMENT_READ_SECONDS = env_int("ZIMAO_DOCUMENT_READ_SECONDS", "8")
DOCUMENT_READ_MEMORY_MB = env_int("ZIMAO_DOCUMENT_READ_MEMORY_MB", "1024")
# The open-data zip on the web is rebuilt when older than this many seconds.
OPEN_DATA_MAX_AGE = env_int("ZIMAO_OPEN_DATA_MAX_AGE", "600")
# Background jobs (zimao.jobs): uploaded inputs and generated files live under var/jobs/.
JOBS_DIR = VAR_DIR / "jobs"
# A running job's worker writes a heartbeat this often; a job whose heartbeat is older than
# JOB_STALE_SECONDS belongs to a worker that died and may be retried.
JOB_HEARTBEAT_SECONDS = env_int("ZIMAO_JOB_HEARTBEAT_SECONDS", "10")
JOB_STALE_SECONDS = env_int("ZIMAO_JOB_STALE_SECONDS", "120")
# A pause between units of work (files, index batches), so a long job on a small machine
# leaves the database to the web server now and then. 0: no pause.
JOB_PAUSE_MS = env_int("ZIMAO_JOB_PAUSE_MS", "0")
# Periodic entries (zimao/jobs/schedule.py) this instance does not run, by name, comma-separated
# (e.g. "progress-reports" on an instance that only serves data).
SCHEDULE_OFF = frozenset(
    name.strip() for name in env_str("ZIMAO_SCHEDULE_OFF", "").split(",") if name.strip()
)
MAX_UPLOAD_FILES = env_int("ZIMAO_MAX_UPLOAD_FILES", "50")
# Largest file that may be attached to a task, an adoption or an innovation.
ATTACHMENT_MAX_MB = env_int("ZIMAO_ATTACHMENT_MAX_MB", "10")
# How many demands one account may submit per hour (enterprises and offices alike).
DEMAND_RATE = env_int("ZIMAO_DEMAND_RATE", "10")
# Enterprise self-registrations: attempts one client address may make per hour, and new
# enterprise accounts the whole site accepts per hour (0 turns a limit off).
REGISTER_RATE_PER_IP = env_int("ZIMAO_REGISTER_RATE_PER_IP", "10")
REGISTER_RATE = env_int("ZIMAO_REGISTER_RATE", "100")
# Days a department is given to answer a demand unless the office sets another deadline.
DEMAND_ANSWER_DAYS = env_int("ZIMAO_DEMAND_ANSWER_DAYS", "15")
# Pilot tasks due within this many days are "due soon" (workbench, task filter, alerts).
DUE_SOON_DAYS = env_int("ZIMAO_DUE_SOON_DAYS", "14")
# The date deadlines are measured against; None means the server's local date. Tests (and
# demonstrations) set a fixed day here rather than depend on the clock.
TODAY = None
# Search always uses the database's own full-text index (SQLite FTS5 or PostgreSQL). Read only
# so that a leftover ZIMAO_SEARCH_BACKEND (there is no other backend) fails the system check.
SEARCH_BACKEND = env_str("ZIMAO_SEARCH_BACKEND", "")
# A search matching more entries than this ranks only the newest this many and says "N+":
# ranking every match of a common word costs time in proportion to the data. 0: rank all.
SEARCH_CANDIDATES = env_int("ZIMAO_SEARCH_CANDIDATES", "2000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not from a CDN
    "csp",
    "axes",
    "django_tasks",
    "zimao.vocab",
    "zimao.accounts",
    "zimao.reforms",
    "zimao.alerts",
    "zimao.zones",
    "zimao.replication",
    "zimao.indicators",
    "zimao.reference",
    "zimao.audit",
    "zimao.jobs",  # before django_tasks_db: its `db_worker` survives a failed write
    "django_tasks_db",  # the queue's table (DBTaskResult)
    "zimao.documents",
    "zimao.attachments",
    "zimao.demands",
    "zimao.search",
    "zimao.reports",
    "zimao.web",
    "zimao.ops",
    "zimao.opendata",
    "zimao.opening",
    "zimao.alignment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zimao.lib.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "zimao.web.middleware.RequestLogMiddleware",
    "zimao.web.middleware.PublicPageCacheMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "zimao.urls"
WSGI_APPLICATION = "zimao.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zimao.accounts.context_processors.notifications",
                "zimao.web.navigation.header",
                "zimao.indicators.provenance.footer",
            ],
        },
    },
]


SQLITE_BUSY_TIMEOUT_MS = env_int("ZIMAO_SQLITE_BUSY_TIMEOUT_MS", "20000")


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", "")
    database: dict[str, Any]
    if url:
        database = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives under var/
        database = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "zimao.sqlite3",
            "CONN_MAX_AGE": 60,
        }
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Whichever way SQLite is named, it is set up for a web server: WAL lets readers read
        # while one process writes; a writer waits (busy_timeout) instead of failing at once;
        # IMMEDIATE takes the write lock at BEGIN, so two transactions never deadlock on an
        # upgrade from read to write; synchronous=NORMAL is safe with WAL and much faster.
        # zimao.lib.sqlite: the threads of one process take turns at the write lock instead of
        # all polling SQLite for it.
        database["ENGINE"] = "zimao.lib.sqlite"
        database["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};"
            ),
            "transaction_mode": "IMMEDIATE",
            **database.get("OPTIONS", {}),
        }
        # Tests use a file too: an in-memory database shares one cache between threads and
        # turns every concurrent write into "table is locked", which a real server never sees.
        database.setdefault("TEST", {"NAME": VAR_DIR / "test.sqlite3"})
    return database


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before checking it
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (site login and admin): after N failures for one username from one address,
# that pair is locked out for the cool-off time; a success resets the count.
AXES_FAILURE_LIMIT = env_int("ZIMAO_LOGIN_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZIMAO_LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zimao.web.views.lockout"
# Behind ZIMAO_PROXY_COUNT reverse proxies the client address is the X-Forwarded-For entry
# our first proxy appended (zimao/accounts/throttle.py); forged entries left of it are ignored.
PROXY_COUNT = env_int("ZIMAO_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "zimao.accounts.throttle.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: msgids are Chinese, English comes from zimao/locale/en.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

MEDIA_ROOT = VAR_DIR / "media"  # original files of ingested documents
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries are copied from node_modules into web/static/vendor by `make setup`.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/workbench/"  # each role's workbench
LOGOUT_REDIRECT_URL = "/"

# HTTPS: ZIMAO_HTTPS=true turns on the redirect, secure cookies and HSTS together; each one can
# still be set alone. The proxy header is a trust decision, so it is never implied.
HTTPS = env_bool("ZIMAO_HTTPS", "false")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", str(HTTPS))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring on loopback speaks plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", str(HTTPS))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", str(HTTPS))
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(HTTPS))
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", str(HTTPS))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER", "")  # e.g. HTTP_X_FORWARDED_PROTO,https
if _proxy_header and len(_proxy_header) != 2:
    raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be HEADER,value")
SECURE_PROXY_SSL_HEADER = (_proxy_header[0], _proxy_header[1]) if _proxy_header else None
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: everything from this origin, no inline script or style, no framing.
# Pages pass data to scripts in json_script blocks (type="application/json"), never as code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Pico and Swagger UI draw icons as data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Anonymous pages are cached whole in files shared by every server process (zimao.lib.pagecache);
# any committed change starts a new generation, so the timeout is only a backstop.
PAGE_CACHE = env_bool("ZIMAO_PAGE_CACHE", "true")
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = env_int("ZIMAO_PAGE_CACHE_SECONDS", "300")
PAGE_CACHE_MAX_BYTES = 1024 * 1024
# Records no anonymous page shows: saving them (a login, a read notice) keeps the cache.
PAGE_CACHE_IGNORE = {
    "sessions",
    "axes",
    "admin",
    "accounts.user",
    "accounts.notification",
    "accounts.savedsearch",
    "audit",
}
PAGE_CACHE_SKIP = ("/healthz", "/admin/", "/i18n/", "/workbench/", "/audit/")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3},  # each store lists the folder
    },
}

# Logs: ZIMAO_LOG_FORMAT=json writes one JSON object per line (requests, errors, server).
LOG_FORMAT = env_str("ZIMAO_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"ZIMAO_LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOG_LEVEL = env_str("ZIMAO_LOG_LEVEL", "INFO").upper()
ACCESS_LOG = env_bool("ZIMAO_ACCESS_LOG", "true")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Requests are logged once, by zimao.web.middleware; Django's own copy of 4xx is noise.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        "axes": {"level": "WARNING"},  # no start-up banner or per-login line in every output
        # WeasyPrint logs every layout step and fontTools every subset at INFO.
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "matplotlib")},
    },
}

# One task queue, kept in the application's own database: `zimao db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Alerts leave the app by e-mail and by 企业微信/钉钉 group robots (zimao/alerts). E-mail goes
# through Django's mail framework: printed to the console unless ZIMAO_EMAIL_HOST names an
# SMTP server (or ZIMAO_EMAIL_BACKEND says console, file or smtp).
EMAIL_BACKEND_NAME = env_str(
    "ZIMAO_EMAIL_BACKEND", "smtp" if env_str("ZIMAO_EMAIL_HOST", "") else "console"
)
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
if EMAIL_BACKEND_NAME not in EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"ZIMAO_EMAIL_BACKEND must be console, file or smtp, got {EMAIL_BACKEND_NAME!r}"
    )
EMAIL_BACKEND = EMAIL_BACKENDS[EMAIL_BACKEND_NAME]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("ZIMAO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ZIMAO_EMAIL_PORT", "25")
EMAIL_HOST_USER = env_str("ZIMAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("ZIMAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ZIMAO_EMAIL_TLS", "false")
EMAIL_USE_SSL = env_bool("ZIMAO_EMAIL_SSL", "false")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("ZIMAO_EMAIL_FROM", "Zimao <zimao@localhost>")
# Links in e-mails and robot messages start with this address.
SITE_URL = env_str("ZIMAO_SITE_URL", "http://127.0.0.1:8000")
# Group robots are called only on these hosts; ZIMAO_WEBHOOK_HOSTS adds more (a local
# receiver, a proxy of the office's own).
ALERT_WEBHOOK_HOSTS = [
    "qyapi.weixin.qq.com",
    "oapi.dingtalk.com",
    *env_list("ZIMAO_WEBHOOK_HOSTS", ""),
]
ALERT_TIMEOUT_SECONDS = 10
# A failed delivery is tried again after ZIMAO_ALERT_RETRY_SECONDS, doubled each time, up to
# ZIMAO_ALERT_ATTEMPTS attempts in all.
ALERT_RETRY_SECONDS = env_int("ZIMAO_ALERT_RETRY_SECONDS", "60")
ALERT_ATTEMPTS = env_int("ZIMAO_ALERT_ATTEMPTS", "6")
# Daily digests are made from this local hour on.
ALERT_DIGEST_HOUR = env_int("ZIMAO_ALERT_DIGEST_HOUR", "8")

NINJA_PAGINATION_PER_PAGE = PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "zimao.lib.schemas.BoundedPagination"
