"""Settings for citydiplo, every value read from the environment.

The defaults give a working single-machine installation on SQLite, so `make demo` needs nothing else.
Set DATABASE_URL=postgres://... for a real deployment and CITYDIPLO_PRODUCTION=1 to switch on the
production hardening (secure cookies, HSTS, no debug); `manage.py check --deploy` must then pass.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("CITYDIPLO_PRODUCTION")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
DATA_DIR = Path(env_str("CITYDIPLO_DATA_DIR", str(PROJECT_DIR / "var")))


def _secret_key() -> str:
    """In production the key must come from the environment; elsewhere a per-installation key is
    generated once into the data directory, so no secret is ever committed."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when CITYDIPLO_PRODUCTION=1")
    key_file = DATA_DIR / "dev-secret-key.txt"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if not PRODUCTION else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin so the admin shows per-language fields.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "citydiplo.accounts",
    "citydiplo.registry",
    "citydiplo.interchange",
    "citydiplo.portal",
    "citydiplo.history",
    "citydiplo.strategy",
    "citydiplo.indicators",
    "citydiplo.analysis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After AuthenticationMiddleware: adds request.user.is_verified() (signed in with a second factor).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a login request flagged as locked out into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The axes backend comes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "citydiplo.urls"
WSGI_APPLICATION = "citydiplo.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

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
                "citydiplo.accounts.context_processors.current_organisation",
                "citydiplo.accounts.context_processors.site",
            ],
        },
    }
]

# SQLite by default, with WAL and a busy timeout so the web process and the task worker can write
# without "database is locked"; IMMEDIATE transactions take the write lock up front for the same reason.
_sqlite_path = DATA_DIR / "citydiplo.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=env_int("CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# How many reverse proxies (nginx, a load balancer) stand in front of the app and append to
# X-Forwarded-For. 0: the client is REMOTE_ADDR and the header, which anyone can send, is ignored. Login
# lockouts and API rate limits count per client address, so this must match the deployment exactly.
CITYDIPLO_PROXY_COUNT = env_int("CITYDIPLO_PROXY_COUNT", 0)

# Login throttling (django-axes): 5 failed passwords for one username from one address lock that pair
# out for 15 minutes; failures during the lock extend it. Attempts live in the database, so every web
# process sees them. A locked-out user can be released early with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "citydiplo.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "citydiplo.accounts.api_auth.client_ip"
AXES_VERBOSE = False

# Two-step verification with an authenticator app (django-otp TOTP), optional for every user.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "citydiplo")

# API rate limits, as "N/s", "N/min", "N/hour" or "N/day" (empty: no limit). Anonymous
# callers are counted per client address, signed-in ones (session or token) per user.
CITYDIPLO_API_RATE_ANON = env_str("CITYDIPLO_API_RATE_ANON", "60/min")
CITYDIPLO_API_RATE_USER = env_str("CITYDIPLO_API_RATE_USER", "600/min")
NINJA_NUM_PROXIES = CITYDIPLO_PROXY_COUNT


def _cache(url: str) -> dict[str, Any]:
    """CACHE_URL as a Django cache: locmem:// (the default, one process only), db://TABLE (shared by
    every process; run `manage.py createcachetable` once), file:///PATH (processes of one machine) or
    redis://HOST:PORT/DB (needs the redis package)."""
    scheme, _sep, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "citydiplo"}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "citydiplo_cache",
        }
    if scheme == "file":
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise RuntimeError(f"CACHE_URL: unknown cache {url!r} (locmem://, db://TABLE, file:///PATH, redis://...)")


# The API rate limits keep their counters in the default cache: a multi-process deployment needs a
# shared one (CACHE_URL=db:// or redis://), or each process counts on its own.
CACHES = {"default": _cache(env_str("CACHE_URL", "locmem://"))}

# Interface languages: the four our users work in. Content fields are translated per language by
# django-modeltranslation; a missing translation falls back to English, then to any filled language.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pt", _("Portuguese")), ("fr", _("French"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "es", "pt", "fr")}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CITYDIPLO_MAX_UPLOAD_BYTES = env_int("CITYDIPLO_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# How long a new contact's personal data is kept before it is listed for review (registry/privacy.py),
# unless the person's record says otherwise. Two years: the usual span of a partnership's active phase.
CITYDIPLO_CONTACT_RETENTION_DAYS = env_int("CITYDIPLO_CONTACT_RETENTION_DAYS", 730)

# AGPL-3.0 section 13: users interacting with the site over a network must be offered its source.
# Operators who change the code point this at their own repository; the footer links to it.
CITYDIPLO_SOURCE_URL = env_str("CITYDIPLO_SOURCE_URL")

# Where `citydiplo load-reference` reads the third-party reference data (never committed here).
_shared_data = PROJECT_DIR.parent / "shared" / "data"
CITYDIPLO_REFERENCE_DATA = env_str(
    "CITYDIPLO_REFERENCE_DATA", str(_shared_data) if _shared_data.exists() else ""
)

# Every asset is served by the app itself: the policy allows nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less hx-headers attribute instead.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    # HTTPS only: cookies never travel in clear, browsers remember to use HTTPS for a year (HSTS).
    # TLS ends at the reverse proxy, which must set X-Forwarded-Proto and strip it from clients.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The proxy's or orchestrator's health probe speaks plain HTTP to the app.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Mail is sent only when the operator configures it; otherwise an owner copies the invitation link.
# Email is off unless configured: invitations show their link to copy, reminders are printed.
CITYDIPLO_EMAIL_ENABLED = bool(env_str("EMAIL_BACKEND"))
if CITYDIPLO_EMAIL_ENABLED:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND")
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "citydiplo@localhost")
