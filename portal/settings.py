"""Settings for the NAV partnership portal.

Everything that differs between machines comes from the environment (12-factor); the
defaults make a fresh clone run on SQLite and an embedded Celery broker. The README lists
every variable.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env(
        "SECRET_KEY", default="django-insecure-development-key-never-use-in-production"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    # No defaults in production: a missing value stops the start with ImproperlyConfigured.
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # Our apps first, so their templates and translations win over the libraries'.
    "portal",
    "portal.accounts",
    "portal.news",
    "portal.reminders",
    "partnerships",
    "programmes",
    # Django's admin site with the portal's rule for who gets in (portal/admin_site.py).
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Django's own widget templates, for the project's form renderer (TemplatesSetting).
    "django.forms",
    "simple_history",
    "django_filters",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    # Counts and times every request, whatever answers it (portal/metrics.py).
    "portal.metrics.RequestMetricsMiddleware",
    # Probes and scrapes come by the pod's IP address: answered before the host check.
    "portal.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The request id and the one line per request (portal/logs.py); static files are not logged.
    "portal.logs.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private on every response to a logged-in user.
    "portal.caching.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Refuses an upload over MAX_UPLOAD_REQUEST_SIZE with a 413 before it is read.
    "portal.uploads.UploadSizeLimitMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # request.htmx: lists answer a filter with their results only, rows swap in place.
    "django_htmx.middleware.HtmxMiddleware",
    # Staff, advisers and partner staff set up two-factor login before anything else.
    "portal.accounts.middleware.RequireMFAMiddleware",
    # Records who made each change in the agreements' history.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
# An organisation's page belongs to the register in partnerships, a layer above the accounts
# app that holds the model: Django's own hook gives Organisation its URL from here, the one
# place (with the URLconf) that names every app.
ABSOLUTE_URL_OVERRIDES = {
    "accounts.organisation": lambda organisation: reverse(
        "partnerships:organisation_detail", args=[organisation.pk]
    )
}
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Every form field rendered with Aksel's markup (templates/forms/field.html).
FORM_RENDERER = "portal.forms.AkselFormRenderer"

# --- Database -------------------------------------------------------------------------------
if "DATABASE_URL" in env:
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # Persistent connections, checked before reuse so a restarted server costs no error.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Typo tolerance of the Norwegian search: 0.7 lets "rekrutering" find "rekruttering"
        # but keeps "nordlys" from finding "Nordland" (pg_trgm's default is 0.6).
        # PostgreSQL only: SQLite's connect() refuses an "options" argument.
        # No JIT: it compiles a query whose estimate is high (an export's per-row subquery)
        # for seconds, to save milliseconds (docs/BENCHMARKS.md, "Third round").
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            "-c pg_trgm.word_similarity_threshold=0.7 -c jit=off"
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "portal.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# NAIS hands a Valkey instance over as VALKEY_URI_<NAME> (valkeys://host:port) with the user
# and password beside it: https://docs.nais.io/persistence/valkey/reference/
VALKEY_INSTANCE = env("VALKEY_INSTANCE", default="").upper()
if not REDIS_URL and VALKEY_INSTANCE:
    from urllib.parse import quote, urlsplit

    _valkey = urlsplit(env(f"VALKEY_URI_{VALKEY_INSTANCE}"))
    REDIS_URL = (
        f"rediss://{quote(env(f'VALKEY_USERNAME_{VALKEY_INSTANCE}'), safe='')}:"
        f"{quote(env(f'VALKEY_PASSWORD_{VALKEY_INSTANCE}'), safe='')}@{_valkey.netloc}/0"
        # redis-py and Celery both insist on being told to check the certificate.
        "?ssl_cert_reqs=required"
    )

if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that acts as an empty cache while Redis is down, so that logging in
            # keeps working (portal/cache.py says what degrades).
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer costs a request at most a second, not minutes.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Celery's documentation for Redis: a task not acknowledged within the visibility
    # timeout is delivered again. Send tasks are acknowledged late (after they ran) and take
    # seconds; no task is scheduled ahead (no ETA), so an hour is ample and a task lost with
    # a killed worker comes back within it (the sweep requeues sooner: REMINDER_CLAIM_TIMEOUT).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Kombu's filesystem transport: a real worker and beat with no server. In and out must
    # be the same folder, and broadcast (control) messages need a folder of their own.
    CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }

CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Oslo"
# Beat's schedule lives in code (portal/celery.py); its state file stays under var/.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A worker takes one task at a time per process: a killed worker loses (and the broker
# redelivers) little, and a slow mail server does not hold tasks others could run.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"

# The admin site shows history read-only: a change is made again, never reverted wholesale
# past the services' rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend, with the permissions each role gets from its group.
    "portal.accounts.backends.RoleGroupBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions are kept in the database and read through the cache (no query a page while the
# cache holds them); the database stays the record, so a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"signup": "portal.accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[NAV partnerportal] "
# Sends allauth's mail through Celery after the commit (portal/accounts/adapter.py).
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
# allauth's rate limits are on by default and count in the Django cache (Redis when set).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Per-IP limits count per client, not per proxy: behind N proxies of our own (a load
# balancer, an ingress) the client is the N-th address from the right of X-Forwarded-For.
# 0 ignores the header, which a client could otherwise forge to escape the limits.
# https://docs.allauth.org/en/latest/common/rate_limits.html
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Every account that is not an employer's must have TOTP (RequireMFAMiddleware); recovery
# codes are made with it, for a lost phone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "NAV partnerportal"
# One 30-second step either side, for phones whose clock drifts (RFC 6238, section 5.2).
MFA_TOTP_TOLERANCE = 1

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]
LOCALE_PATHS = [
    BASE_DIR / "locale",
    # Nynorsk for django-allauth's own strings, which the library ships in bokmål only.
    BASE_DIR / "portal" / "accounts" / "allauth_locale",
]
# Dates follow the reader's language through Django's format localisation; English gets
# British dates (portal/formats/en).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # npm packages, served as they come from the registry (see package.json).
    ("vendor/aksel", BASE_DIR / "node_modules" / "@navikt" / "ds-css" / "dist"),
    ("vendor/source-sans-3", BASE_DIR / "node_modules" / "@fontsource" / "source-sans-3"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Files that only some people may read (agreement documents): never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Documents and photos are at most 10 MB. DATA_UPLOAD_MAX_MEMORY_SIZE does not count files,
# so a request with more than this is refused before it is read (portal/uploads.py).
MAX_UPLOAD_REQUEST_SIZE = 11 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "portal.uploads.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Agreement documents and news photos (portal/storage.py): no public URL, ever.
    "private": {"BACKEND": "portal.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Object storage, when several web nodes (NAIS pods, which lose their disk) must share the
# uploads: an S3-compatible bucket through django-storages. In NAIS that is Google Cloud
# Storage's XML API at https://storage.googleapis.com with HMAC keys of the app's service
# account. Public media go under media/, private files under private/, both with no ACL.
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
STORAGE_BUCKET = env("STORAGE_BUCKET", default="")
if STORAGE_BUCKET:
    _bucket = {
        "bucket_name": STORAGE_BUCKET,
        "endpoint_url": env("STORAGE_ENDPOINT_URL", default=None),
        "region_name": env("STORAGE_REGION", default=None),
        "access_key": env("STORAGE_ACCESS_KEY_ID", default=None),
        "secret_key": env("STORAGE_SECRET_ACCESS_KEY", default=None),
        "default_acl": None,
        # Names are random already (uuid4); a clash must not overwrite another's file.
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": env.int("STORAGE_SIGNED_URL_SECONDS", default=60),
        "signature_version": "s3v4",
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": _bucket | {"location": "media"},
    }
    STORAGES["private"] = {
        "BACKEND": "portal.buckets.PrivateBucketStorage",
        "OPTIONS": _bucket | {"location": "private"},
    }

# --- E-mail ---------------------------------------------------------------------------------
# EMAIL_URL like smtp+tls://user:password@smtp.example.no:587. Unset in development: mail is
# printed to the console. Production demands it. Django 6.1's MAILERS replaces EMAIL_*:
# https://docs.djangoproject.com/en/6.1/howto/mailers-migration/
_email = env.email_url("EMAIL_URL") if not DEBUG or "EMAIL_URL" in env else None
if _email is None:
    # Each message's text between rulers, so the verification link can be clicked.
    MAILERS = {"default": {"BACKEND": "portal.mail.ConsoleEmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                key: value
                for key, value in {
                    "host": _email.get("EMAIL_HOST"),
                    "port": _email.get("EMAIL_PORT"),
                    "username": _email.get("EMAIL_HOST_USER"),
                    "password": _email.get("EMAIL_HOST_PASSWORD"),
                    "use_tls": _email.get("EMAIL_USE_TLS"),
                    "use_ssl": _email.get("EMAIL_USE_SSL"),
                    # A mail server that hangs holds a worker at most this long.
                    "timeout": env.int("EMAIL_TIMEOUT", default=10),
                }.items()
                if value not in (None, "")
            },
        }
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="NAV partnerportal <ikke-svar@nav.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- The portal ------------------------------------------------------------------------------
# Its name and address in e-mails and calendar files (never the request's host: a mail
# may be sent by the worker, with no request).
PORTAL_NAME = env("PORTAL_NAME", default="NAV partnerportal")
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
# Employers cancel or change a sign-up themselves until this many hours before the session.
SIGNUP_CANCEL_CUTOFF_HOURS = env.int("SIGNUP_CANCEL_CUTOFF_HOURS", default=24)

# --- Privacy and audit (README: "Privacy and audit"; the privacy page states both) ----------
# The audit log (logins, rights, exports, downloads) is kept this many days, then purged.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)
# A sign-up's contact person, phone and e-mail are erased this many days after its
# programme ends (what the company offered stays, for the programme's results).
SIGNUP_CONTACT_RETENTION_DAYS = env.int("SIGNUP_CONTACT_RETENTION_DAYS", default=180)

# --- Exports (README "Exports") -----------------------------------------------------------
# An Excel export of more agreements than this is prepared by a worker and e-mailed as a
# link, instead of being written while the user waits (100,000 take ~27 s: docs/BENCHMARKS.md).
EXPORT_IN_BACKGROUND_ROWS = env.int("EXPORT_IN_BACKGROUND_ROWS", default=5000)
# Days the link works; the file is deleted by the next sweep after that.
EXPORT_LINK_DAYS = env.int("EXPORT_LINK_DAYS", default=7)

# --- Reminders (portal/reminders) ---------------------------------------------------------
# Employers are e-mailed on weekdays between these hours, Europe/Oslo; the rest waits.
EMPLOYER_SEND_WINDOW = (8, 17)
# A row claimed by a worker this many seconds ago and not marked sent is sent again by the
# next sweep (the worker died); also how long a queued row waits before it is queued again.
REMINDER_CLAIM_TIMEOUT = env.int("REMINDER_CLAIM_TIMEOUT", default=600)
# Tries (with backoff 1, 2, 4 ... 60 minutes) before a reminder shows as failed to admins.
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=8)

# --- Security -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Logging --------------------------------------------------------------------------------
# One line per request; tracebacks only for 5xx (a 403 or 404 is no bug); no line per static
# file. https://docs.djangoproject.com/en/6.1/ref/logging/#default-logging-configuration
# Production writes one JSON object per line (Loki in NAIS reads the fields): the request
# line comes from portal.logs.RequestLogMiddleware, with request_id, user_id (never the
# e-mail address), method, path, status and duration_ms; every record logged during a
# request carries its request_id and user_id. Development keeps plain text, where the
# development server prints its own request line instead.
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_traceback_below_500": {"()": "portal.logs.NoTracebackBelow500"},
        "no_static_files": {"()": "portal.logs.NoStaticFileRequests"},
        "request_context": {"()": "portal.logs.RequestContext"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {"()": "portal.logs.json_formatter"},
    },
    "handlers": {
        # The filter here too: django.security.* logs a refused host (a 400) with a traceback.
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_traceback_below_500", "request_context"],
        }
        | ({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_static_files"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default gives "django" a console handler of its own in DEBUG, which printed
        # every message (and traceback) a second time beside the root's.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["no_traceback_below_500"]},
        # One request line, not two: the development server's in text, the portal's in JSON.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO" if LOG_FORMAT == "text" else "WARNING",
            "propagate": False,
        },
        "portal.request": {"level": "WARNING" if LOG_FORMAT == "text" else "INFO"},
    },
}

# --- Metrics and security.txt ---------------------------------------------------------------
# /metrics answers on this port only (gunicorn listens on it besides PORT; the ingress never
# routes to it), or to `Authorization: Bearer <METRICS_TOKEN>` when a token is set.
METRICS_PORT = env.int("METRICS_PORT", default=9090)
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# /.well-known/security.txt (RFC 9116) and SECURITY.md name these.
SECURITY_CONTACT = env("SECURITY_CONTACT", default="mailto:security@nav.example")
SECURITY_POLICY_URL = env(
    "SECURITY_POLICY_URL",
    default="https://github.com/navikt/partnerportal/blob/main/SECURITY.md",
)

# --- Tests ----------------------------------------------------------------------------------
# Under CI every test must run: a missing PostgreSQL, Redis or Chromium fails instead of skips.
REQUIRE_ALL_SERVICES = env.bool("PORTAL_REQUIRE_ALL_SERVICES", default=False)
