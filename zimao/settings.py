"""One settings module; every deployment difference comes from the environment.

Variables (all optional): DATABASE_URL, SECRET_KEY, SECRET_KEY_FILE, DEBUG, ALLOWED_HOSTS,
ZIMAO_VAR_DIR, ZIMAO_PAGE_SIZE. See docs/architecture.md.
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
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


VAR_DIR = Path(env_str("ZIMAO_VAR_DIR", str(PROJECT_DIR / "var")))
DEBUG = env_bool("DEBUG", "false")
# The fallback key only exists so a fresh clone runs; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "zimao-insecure-local-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = [h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
PAGE_SIZE = env_int("ZIMAO_PAGE_SIZE", "50")
MAX_UPLOAD_MB = env_int("ZIMAO_MAX_UPLOAD_MB", "20")
# Search backend: empty means the database's own (SQLite FTS5 or PostgreSQL full text).
SEARCH_BACKEND = env_str("ZIMAO_SEARCH_BACKEND", "")
OPENSEARCH_URL = env_str("ZIMAO_OPENSEARCH_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "zimao.vocab",
    "zimao.accounts",
    "zimao.reforms",
    "zimao.zones",
    "zimao.replication",
    "zimao.indicators",
    "zimao.reference",
    "zimao.audit",
    "zimao.documents",
    "zimao.search",
    "zimao.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database lives under var/
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "zimao.sqlite3",
        # WAL lets readers keep reading while an import writes; IMMEDIATE avoids lock upgrades.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,  # seconds a writer waits for another's short transaction
        },
        # Tests use a file too: an in-memory database shares one cache between threads and
        # turns every concurrent write into "table is locked", which a real server never sees.
        "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

NINJA_PAGINATION_PER_PAGE = PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "zimao.lib.schemas.BoundedPagination"
