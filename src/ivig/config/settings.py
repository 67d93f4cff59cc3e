"""Django settings for ivig.

Development defaults run with no configuration. `IVIG_ENV=production` demands real secrets and hosts
from the environment and turns on every transport-security setting `check --deploy` asks for. Every
environment variable is defined (type, default, range, meaning) in ivig.config.variables and parsed by
ivig.config.env: a wrong value stops the start naming the variable (docs/configuration.md lists them).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from ivig.accounts.roles import role_by_name
from ivig.config import env
from ivig.lib.headers import CSP_DIRECTIVES

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent  # src/ivig
PROJECT_DIR = BASE_DIR.parent.parent
_env = env.load()
VAR_DIR = _env.optional_path("IVIG_VAR_DIR") or PROJECT_DIR / "var"

IVIG_ENV = _env.text("IVIG_ENV")  # "development", "test", "production", or "" (unset)
PRODUCTION = IVIG_ENV == "production"
DEVELOPMENT_SECRET_KEY = env.registry()["SECRET_KEY"].default
MIN_SECRET_KEY_LENGTH = 50

if PRODUCTION:
    _key = _env.text("SECRET_KEY")
    if not _env.is_set("SECRET_KEY"):
        raise ImproperlyConfigured("IVIG_ENV=production needs SECRET_KEY in the environment")
    if len(_key.strip()) < MIN_SECRET_KEY_LENGTH or _key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            f"IVIG_ENV=production needs a SECRET_KEY of at least {MIN_SECRET_KEY_LENGTH} random characters"
            " (not the development key)"
        )
    if not _env.is_set("ALLOWED_HOSTS"):
        raise ImproperlyConfigured(
            "IVIG_ENV=production needs ALLOWED_HOSTS (comma-separated) in the environment"
        )
elif not IVIG_ENV and _env.is_set("ALLOWED_HOSTS"):
    # Host names to answer to mean a deployment: it must say which kind, or it would run on the public
    # development key.
    raise ImproperlyConfigured(
        "IVIG_ENV is not set but ALLOWED_HOSTS is: set IVIG_ENV=production (or development or test)"
    )
# Debug pages only when development is asked for by name: a missing or other value never shows them.
DEBUG = IVIG_ENV == "development" and _env.flag("DEBUG")
SECRET_KEY = _env.text("SECRET_KEY")
ALLOWED_HOSTS = _env.strings("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _env.strings("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ivig.audit.admin_apps.AuditedAdminConfig",  # django.contrib.admin, throttled sign-in and audited writes
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "oauth2_provider",
    "django_prometheus",
    "django_tasks",
    "ivig.ops",  # before django_tasks_db: its `db_worker` adds the heartbeat and the periodic jobs
    "django_tasks_db",
    "django_otp",  # two-factor sign-in (ivig.accounts.two_factor): authenticator apps and recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ivig.accounts",
    "ivig.audit",
    "ivig.siteconfig",
    "ivig.patients",
    "ivig.inventory",
    "ivig.orders",
    "ivig.portal",
    "ivig.followup",
    "ivig.outcomes",
    "ivig.infusions",
    "ivig.scheduling",
    "ivig.supply",  # days of stock, shortage phase, affected patients (issue 20)
    "ivig.hemovigilance",
    "ivig.conservation",
    "ivig.reports",
    "ivig.fhir",
    "ivig.smart",
    "ivig.web",
    "ivig.demo",  # the demo data and `manage.py load_demo`
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first: times the whole request
    "ivig.lib.requestid.RequestIdMiddleware",  # the request id on every log line and the response
    "django.middleware.security.SecurityMiddleware",
    "ivig.web.middleware.ContentSecurityPolicyMiddleware",  # django-csp: settings.CONTENT_SECURITY_POLICY
    "ivig.web.middleware.SecurityHeadersMiddleware",
    "ivig.smart.cors.FhirCorsMiddleware",  # SMART browser apps on their own origin (registered origins only)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ivig.web.middleware.RefuseNulMiddleware",  # NUL in the path, query or form: 400 (PostgreSQL refuses it)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ivig.accounts.sessions.IdleSessionMiddleware",  # moves the idle timeout on, at most once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor was given
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ivig.accounts.two_factor_middleware.TwoFactorMiddleware",  # verify or enrol before any page
    "ivig.accounts.middleware.AccessControlMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",  # last: counts responses by view and status
]

ROOT_URLCONF = "ivig.config.urls"
WSGI_APPLICATION = "ivig.config.wsgi.application"
FORM_RENDERER = "ivig.web.renderers.FormRenderer"  # the project's form and field templates (web/)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ivig.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite by default, in WAL mode with IMMEDIATE transactions so concurrent writers queue instead of failing
# with "database is locked" halfway through a transaction. DATABASE_URL switches to PostgreSQL.
SQLITE_PATH = VAR_DIR / "ivig.sqlite3"
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = _env.database_url("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": dict(_SQLITE_OPTIONS),
            # Tests use a file too: Django's default in-memory test database shares one cache between
            # threads, where a second writer fails at once ("table is locked") instead of waiting its turn
            # as it does on the real file, so concurrency tests would test the wrong locking.
            "TEST": {"NAME": str(VAR_DIR / "test-ivig.sqlite3")},
        }
    }
# django-prometheus's wrappers of the same backends count queries, errors and connections for /metrics.
_PROMETHEUS_ENGINES = {
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
}
for _database in DATABASES.values():
    _database["ENGINE"] = _PROMETHEUS_ENGINES.get(_database["ENGINE"], _database["ENGINE"])
PROMETHEUS_EXPORT_MIGRATIONS = False  # /readyz reports unapplied migrations; this would query at import
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, with each user's permissions kept in the worker per access version (no two
# permission queries on every page; a change of role is seen on the next request).
AUTHENTICATION_BACKENDS = ["ivig.accounts.access_cache.CachedModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session expires this long after the last request, not after login.
IVIG_IDLE_TIMEOUT_MINUTES = _env.integer("IVIG_IDLE_TIMEOUT_MINUTES")
SESSION_COOKIE_AGE = IVIG_IDLE_TIMEOUT_MINUTES * 60
# Saved when changed, and by IdleSessionMiddleware once a minute while in use (not on every request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Failed-login throttling: this many failures for one username (or from one address) within the window
# locks further attempts until the window has passed.
IVIG_LOGIN_MAX_FAILURES = _env.integer("IVIG_LOGIN_MAX_FAILURES")
IVIG_LOGIN_WINDOW_MINUTES = _env.integer("IVIG_LOGIN_WINDOW_MINUTES")
# The client's address for sign-in throttling: REMOTE_ADDR, or the site's own proxy's header when named.
IVIG_TRUSTED_PROXY_HEADER = _env.text("IVIG_TRUSTED_PROXY_HEADER").strip()
IVIG_TRUSTED_PROXY_COUNT = _env.integer("IVIG_TRUSTED_PROXY_COUNT")
IVIG_API_TOKEN_DAYS = _env.integer("IVIG_API_TOKEN_DAYS")

# Two-factor sign-in (django-otp): the roles that must give an authenticator code (or a recovery code) after
# the password; `none` is no role. Development requires none, so the demo logins work as printed.
IVIG_2FA_ROLES = [
    role_by_name(name).name
    for name in _env.strings("IVIG_2FA_ROLES")
    if name.lower() != "none"  # the registry's check has refused any other word that is not a role
]


def _totp_issuer(device: object) -> str:
    """The account's label in the authenticator app, beside the username: the centre's name."""
    from ivig.siteconfig.models import SiteSettings

    return SiteSettings.load().centre_name or "ivig"


OTP_TOTP_ISSUER = _totp_issuer
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # never show a device's secret in the admin

# Keyboard-wedge barcode scanners often cannot type the GS1 group separator (ASCII 29); they can be set to
# send another character instead, such as "|". Empty: only ASCII 29 separates variable-length fields.
IVIG_GS1_SEPARATOR_REPLACEMENT = _env.text("IVIG_GS1_SEPARATOR_REPLACEMENT")

# An order's weight this many times above (or below) the last recorded weight must be confirmed: it
# catches a pound typed as a kilogram or a slipped digit. A plausibility check the site chooses, not a
# clinical rule.
IVIG_WEIGHT_CHANGE_CONFIRM_RATIO = _env.decimal("IVIG_WEIGHT_CHANGE_CONFIRM_RATIO")

# Authorisations ending and review dates falling within this many days show on the prescriber's worklist.
IVIG_RENEWAL_NOTICE_DAYS = _env.integer("IVIG_RENEWAL_NOTICE_DAYS")
# Days after a one-off course (ITP, Kawasaki, GBS...) by which its outcome should be recorded. The reference
# gives no deadline (UK programme: record outcomes), so it is the site's: unset means no due date is shown.
IVIG_COURSE_OUTCOME_DUE_DAYS = _env.optional_integer("IVIG_COURSE_OUTCOME_DUE_DAYS")

# Infusion flowsheet (issue 5). Today's weight more than this far from the order's weight stops the session
# and sends it back to the prescriber (issue 5's rule).
IVIG_INFUSION_WEIGHT_TOLERANCE_PCT = _env.decimal("IVIG_INFUSION_WEIGHT_TOLERANCE_PCT")
# Vital signs: before, 15 min after the start, at each rate increase, at the end, and 30-60 min after;
# 1 h after a first infusion, a product switch or a gap of more than 8 weeks (docs/reference/monitoring.md
# s8).
IVIG_VITALS_AFTER_START_MIN = _env.number("IVIG_VITALS_AFTER_START_MIN")
IVIG_VITALS_BEFORE_INCREASE = _env.flag("IVIG_VITALS_BEFORE_INCREASE")
IVIG_OBSERVE_AFTER_MIN = _env.number("IVIG_OBSERVE_AFTER_MIN")
IVIG_OBSERVE_AFTER_FIRST_MIN = _env.number("IVIG_OBSERVE_AFTER_FIRST_MIN")
# Site decisions (the reference gives none): a reading this many minutes before a due time counts for it; a
# check is overdue this many minutes after its due time; a rate increase needs a reading within the window.
IVIG_VITALS_EARLY_MIN = _env.number("IVIG_VITALS_EARLY_MIN")
IVIG_VITALS_GRACE_MIN = _env.number("IVIG_VITALS_GRACE_MIN")
# The volume given may fall short of the bag's by this many mL (the line's dead space) without a reason.
IVIG_INFUSION_VOLUME_SLACK_ML = _env.number("IVIG_INFUSION_VOLUME_SLACK_ML")

LANGUAGE_CODE = "en"
# Patient-facing pages and triage messages are in English and Spanish (issue 6); staff pages in English.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = _env.text("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start when it is missing

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security headers. The Content-Security-Policy comes from django-csp (through ivig.web.middleware): no inline
# scripts or styles; the directives live in ivig.lib.headers.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env.flag("SECURE_SSL_REDIRECT")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs go to the console (systemd's journal or the container's log): JSON in production (IVIG_LOG_FORMAT),
# every line with the id of its request (ivig.lib.requestid).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ivig.lib.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ivig.lib.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": _env.text("IVIG_LOG_FORMAT"),
        }
    },
    "root": {"handlers": ["console"], "level": _env.text("LOG_LEVEL")},
}

# Operations (ivig.ops): /metrics for these addresses or this token; the worker's beat and its staleness.
IVIG_METRICS_ALLOWED = _env.strings("IVIG_METRICS_ALLOWED")
IVIG_METRICS_TOKEN = _env.text("IVIG_METRICS_TOKEN")
IVIG_WORKER_BEAT_SECONDS = _env.integer("IVIG_WORKER_BEAT_SECONDS")
IVIG_WORKER_STALE_SECONDS = _env.integer("IVIG_WORKER_STALE_SECONDS")
IVIG_REMINDER_EVERY_MINUTES = _env.integer("IVIG_REMINDER_EVERY_MINUTES")
# The worker's nightly backup (none unless a directory is set) and how long backups are kept there.
_backup_dir = _env.optional_path("IVIG_BACKUP_DIR")
IVIG_BACKUP_DIR = str(_backup_dir) if _backup_dir else ""
IVIG_BACKUP_KEEP_DAYS = _env.integer("IVIG_BACKUP_KEEP_DAYS")

# The recall lookback's covering index (orders.DispensedLot) is index-only on PostgreSQL; SQLite keeps the
# key columns and ignores the included one, which is fine there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Diary reminders (issue 6). Development prints mail to the console; production sends through SMTP.
EMAIL_BACKEND = _env.text("EMAIL_BACKEND")  # SMTP in production, the console in development
EMAIL_HOST = _env.text("EMAIL_HOST")
EMAIL_PORT = _env.integer("EMAIL_PORT")
DEFAULT_FROM_EMAIL = _env.text("DEFAULT_FROM_EMAIL")
# E-mail the prescriber when an order is sent back or decided on (issue 17); off by default.
IVIG_EMAIL_NOTIFICATIONS = _env.flag("IVIG_EMAIL_NOTIFICATIONS")
# The site's public address, e.g. https://ivig.example.org: links in e-mails (the diary reminder's link) and
# the FHIR API's absolute URLs and canonical URLs. Unset, the FHIR API builds them from the address each
# request came to (ivig.fhir.addresses) and e-mails link to the development server (ivig.lib.addresses).
IVIG_PUBLIC_URL = _env.text("IVIG_PUBLIC_URL")

# FHIR API (issue 10): the identifier system of the site's medical record numbers (Patient.identifier).
# A site fact: set it to the URI or OID your EHR uses for MRNs (e.g. urn:oid:2.16.840.1.113883...).
FHIR_MRN_SYSTEM = _env.text("IVIG_FHIR_MRN_SYSTEM")

# SMART App Launch 2 and Backend Services (issue 18): django-oauth-toolkit with ivig.smart's validator.
# Access tokens live an hour; a backend service's (client credentials) five minutes, as SMART recommends.
# Refresh tokens are only issued for offline_access and die this many days after their last use.
IVIG_SMART_ACCESS_TOKEN_SECONDS = _env.integer("IVIG_SMART_ACCESS_TOKEN_SECONDS")
IVIG_SMART_BACKEND_TOKEN_SECONDS = _env.integer("IVIG_SMART_BACKEND_TOKEN_SECONDS")
IVIG_SMART_REFRESH_TOKEN_DAYS = _env.integer("IVIG_SMART_REFRESH_TOKEN_DAYS")
# An EHR launch id (from "Launch app" on a patient's page) must be used within this many minutes.
IVIG_SMART_LAUNCH_MINUTES = _env.integer("IVIG_SMART_LAUNCH_MINUTES")
# django-oauth-toolkit's own models (swappable; named here so migrations can refer to them).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105 - a model name
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "oauth2_provider.DeviceGrant"
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "ivig.smart.validator.SmartValidator",
    "OAUTH2_SERVER_CLASS": "ivig.smart.validator.SmartServer",
    "OAUTH2_BACKEND_CLASS": "ivig.smart.validator.SmartOAuthLibCore",
    "SCOPES_BACKEND_CLASS": "ivig.smart.validator.SmartScopes",
    "SCOPES": {
        "launch": "Open in the context of the patient you launched it from",
        "launch/patient": "Ask which patient to work on",
        "offline_access": "Keep access when you are not signed in",
        "patient/*.rs": "Read and search the selected patient's records",
        "user/*.rs": "Read and search the records you may see",
        "system/*.rs": "Read and search the records the service user may see",
    },
    "DEFAULT_SCOPES": [],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": IVIG_SMART_ACCESS_TOKEN_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": IVIG_SMART_REFRESH_TOKEN_DAYS * 86400,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["http", "https"],
    # The issuer in authorization responses (RFC 9207), as discovery names it; unset: the request's address.
    "OIDC_ISS_ENDPOINT": IVIG_PUBLIC_URL,
    # RFC 9700 (OAuth 2.0 security best practice): only S256 PKCE, no implicit or password grant, tokens
    # stored as hashes and never taken from a URL's query, the issuer in the authorization response.
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
}

# Background jobs (Django's tasks API; the django-tasks backport on Django 5.2): tasks are rows in the
# database, run by `manage.py db_worker` (`make run` starts one beside the server; `make worker` alone).
# FHIR bulk export runs there; so will later background jobs. See docs/background-tasks.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# FHIR Bulk Data export (issue 18): where the worker writes the NDJSON files, and how long they stay before
# they are deleted (the manifest's Expires header).
IVIG_BULK_EXPORT_DIR = _env.optional_path("IVIG_BULK_EXPORT_DIR") or VAR_DIR / "bulk-export"
IVIG_BULK_EXPORT_HOURS = _env.number("IVIG_BULK_EXPORT_HOURS")
