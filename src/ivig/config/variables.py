"""The environment variables, each defined once; settings.py and docs/configuration.md both read this list.

Ranges are sanity limits that catch a slipped digit or a wrong unit, not clinical rules: every default and
every value a site could mean lies inside them.
"""

from __future__ import annotations

from decimal import Decimal

from ivig.accounts.roles import ROLES
from ivig.config.env import (
    Setting,
    origins_complaint,
    proxy_header_complaint,
    time_zone_complaint,
    uri_complaint,
)

DEPLOY = "Deployment"
SIGN_IN = "Sign-in and sessions"
CLINICAL = "Orders and reviews"
INFUSION = "Infusions"
MAIL = "E-mail"
FHIR = "FHIR API, SMART apps and bulk export"
DEV = "Development and tests"


def roles_complaint(raw: str) -> str | None:
    """Name the first word of a role list that is not a role (`none` alone means no role)."""
    names = [item.strip() for item in raw.split(",") if item.strip()]
    if [name.lower() for name in names] == ["none"]:
        return None
    known = {role.name.lower() for role in ROLES}
    unknown = [name for name in names if name.lower() not in known]
    return f"not a role: {unknown[0]}" if unknown else None


VARIABLES: tuple[Setting, ...] = (
    Setting(
        "IVIG_ENV",
        "choice",
        "",
        group=DEPLOY,
        choices=("development", "test", "production"),
        default_doc="unset: no debug, development keys and host names",
        help="`production` turns off debug, requires `SECRET_KEY` (50 characters or more) and"
        " `ALLOWED_HOSTS`, and turns on HTTPS-only cookies, HSTS and the SSL redirect (`manage.py check"
        " --deploy` passes with no warnings); `development` allows Django's debug pages (`DEBUG`); `test`"
        " and unset run with the development key and no debug. Any other value stops the start; unset"
        " with `ALLOWED_HOSTS` set (a deployment) stops the start too",
    ),
    Setting(
        "DATABASE_URL",
        "database",
        "",
        group=DEPLOY,
        default_doc="SQLite at `var/ivig.sqlite3`",
        help="e.g. `postgres://user:pass@host:5432/ivig` (parsed by dj-database-url). SQLite runs in WAL mode"
        " with foreign keys on and IMMEDIATE transactions",
    ),
    Setting(
        "SECRET_KEY",
        "str",
        "django-insecure-development-only-key-do-not-use-in-production",
        group=DEPLOY,
        default_doc="a development key",
        help="required when `IVIG_ENV=production`, at least 50 characters and not the development key",
    ),
    Setting(
        "ALLOWED_HOSTS",
        "list",
        ["127.0.0.1", "localhost", "[::1]", "testserver"],
        group=DEPLOY,
        default_doc="localhost names",
        help="host names the site answers to; required when `IVIG_ENV=production`",
    ),
    Setting(
        "CSRF_TRUSTED_ORIGINS",
        "list",
        [],
        group=DEPLOY,
        check=origins_complaint,
        accepts_doc="comma-separated origins, each starting with http:// or https://",
        help="origins to trust for forms when behind a proxy on another host name",
    ),
    Setting(
        "SECURE_SSL_REDIRECT",
        "bool",
        True,
        group=DEPLOY,
        help="production only: redirect plain HTTP to HTTPS (turn off when the proxy already does)",
    ),
    Setting(
        "DEBUG",
        "bool",
        True,
        group=DEPLOY,
        help="Django's debug pages, only when `IVIG_ENV=development` (always off otherwise)",
    ),
    Setting(
        "IVIG_VAR_DIR",
        "path",
        None,
        group=DEPLOY,
        default_doc="`var/` in the project",
        help="where the SQLite database, collected static files and bulk exports live",
    ),
    Setting(
        "TIME_ZONE",
        "str",
        "America/Toronto",
        group=DEPLOY,
        check=time_zone_complaint,
        accepts_doc="an IANA time zone name such as America/Toronto",
        help="the centre's time zone",
    ),
    Setting(
        "LOG_LEVEL",
        "choice",
        "WARNING",
        group=DEPLOY,
        choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
        production_default="INFO",
        help="the lowest level of log message written to the console (INFO includes one access line a"
        " request, logger `ivig.request`)",
    ),
    Setting(
        "IVIG_LOG_FORMAT",
        "choice",
        "text",
        group=DEPLOY,
        choices=("text", "json"),
        production_default="json",
        help="`json`: one JSON object a line (time, level, logger, message, request_id and the access line's"
        " method, path, status, duration_ms, user_id), for a log collector; `text` for a person",
    ),
    Setting(
        "IVIG_METRICS_ALLOWED",
        "list",
        ["127.0.0.1", "::1"],
        group=DEPLOY,
        help="addresses or networks (e.g. `10.0.0.0/8`) that may read `/metrics` (Prometheus) without a"
        " token",
    ),
    Setting(
        "IVIG_METRICS_TOKEN",
        "str",
        "",
        group=DEPLOY,
        default_doc="none",
        help="a bearer token that may read `/metrics` from any address (`Authorization: Bearer ...`)",
    ),
    Setting(
        "IVIG_BACKUP_DIR",
        "path",
        None,
        group=DEPLOY,
        default_doc="none: no nightly backup",
        help="the worker backs the database up here once a day (`manage.py backup`; a SHA-256 file beside"
        " each); put it on another disk or copy it off the machine",
    ),
    Setting(
        "IVIG_BACKUP_KEEP_DAYS",
        "int",
        35,
        group=DEPLOY,
        minimum=1,
        maximum=3650,
        help="nightly backups older than this are deleted from `IVIG_BACKUP_DIR`",
    ),
    Setting(
        "IVIG_WORKER_BEAT_SECONDS",
        "int",
        15,
        group=DEPLOY,
        minimum=1,
        maximum=300,
        help="how often each background worker writes its heartbeat and enqueues the periodic jobs due",
    ),
    Setting(
        "IVIG_WORKER_STALE_SECONDS",
        "int",
        120,
        group=DEPLOY,
        minimum=10,
        maximum=86400,
        help="`/readyz` answers 503 when no worker has beaten for this long",
    ),
    Setting(
        "IVIG_REMINDER_EVERY_MINUTES",
        "int",
        5,
        group=MAIL,
        minimum=1,
        maximum=1440,
        help="how often the worker sends the after-infusion diary reminders that are due",
    ),
    Setting(
        "IVIG_PUBLIC_URL",
        "url",
        "",
        group=DEPLOY,
        help="the site's public address (`https://ivig.example.org`): links in e-mails (the"
        " development server's"
        " address when unset) and the FHIR API's absolute and canonical URLs (the address each"
        " request came to"
        " when unset)",
    ),
    Setting(
        "IVIG_IDLE_TIMEOUT_MINUTES",
        "int",
        30,
        group=SIGN_IN,
        minimum=1,
        maximum=1440,
        help="a session ends this long after the last request (to within a minute)",
    ),
    Setting(
        "IVIG_LOGIN_MAX_FAILURES",
        "int",
        5,
        group=SIGN_IN,
        minimum=1,
        maximum=100,
        help="failed sign-ins (for one username, or from one address) that lock further attempts for"
        " the window",
    ),
    Setting(
        "IVIG_LOGIN_WINDOW_MINUTES",
        "int",
        15,
        group=SIGN_IN,
        minimum=1,
        maximum=1440,
        help="the window in which failed sign-ins are counted, and how long a lock lasts",
    ),
    Setting(
        "IVIG_TRUSTED_PROXY_HEADER",
        "str",
        "",
        group=SIGN_IN,
        check=proxy_header_complaint,
        accepts_doc="an HTTP header name such as X-Forwarded-For or X-Real-IP",
        default_doc="none: the connection's address (REMOTE_ADDR) only",
        help="the header the site's own reverse proxy puts the client's address in; sign-in throttling"
        " counts failures per address from it (set it only behind a proxy that overwrites or appends it,"
        " or anyone can claim any address)",
    ),
    Setting(
        "IVIG_TRUSTED_PROXY_COUNT",
        "int",
        1,
        group=SIGN_IN,
        minimum=1,
        maximum=5,
        help="how many of the site's own proxies append to `IVIG_TRUSTED_PROXY_HEADER`: the client's address"
        " is that many entries from the right",
    ),
    Setting(
        "IVIG_API_TOKEN_DAYS",
        "int",
        90,
        group=FHIR,
        minimum=1,
        maximum=730,
        help="an API token issued on the API tokens page stops working this many days after it is issued",
    ),
    Setting(
        "IVIG_2FA_ROLES",
        "list",
        [],
        group=SIGN_IN,
        production_default=["Admin", "Pharmacist", "Prescriber", "Quality"],
        check=roles_complaint,
        accepts_doc="comma-separated role names (" + ", ".join(role.name for role in ROLES) + "), or `none`",
        help="roles that must sign in with a second factor (an authenticator app's 6-digit code, or a"
        " recovery code) after the password; `none` turns it off in production. Anyone else may turn it"
        " on from their account page",
    ),
    Setting(
        "IVIG_WEIGHT_CHANGE_CONFIRM_RATIO",
        "decimal",
        Decimal("1.5"),
        group=CLINICAL,
        minimum=1,
        maximum=10,
        above=True,
        help="an order's weight this many times above (or below) the last recorded weight must be confirmed"
        " (catches a pound typed as a kilogram or a slipped digit)",
    ),
    Setting(
        "IVIG_RENEWAL_NOTICE_DAYS",
        "int",
        30,
        group=CLINICAL,
        minimum=0,
        maximum=365,
        help="an authorisation ending or a review date within this many days (ahead or just past)"
        " puts the order"
        ' under "Renewals due" on the prescriber\'s worklist',
    ),
    Setting(
        "IVIG_COURSE_OUTCOME_DUE_DAYS",
        "int",
        None,
        group=CLINICAL,
        minimum=1,
        maximum=3650,
        help="days after a one-off course (ITP, Kawasaki, GBS...) by which its outcome should be"
        " recorded; unset:"
        " no deadline shown (the reference gives none)",
    ),
    Setting(
        "IVIG_GS1_SEPARATOR_REPLACEMENT",
        "str",
        "",
        group=INFUSION,
        accepts_doc="one character",
        help="a character (e.g. `|`) that keyboard-wedge barcode scanners send instead of the GS1"
        " group separator"
        " (ASCII 29); must not be one a lot number can contain",
    ),
    Setting(
        "IVIG_INFUSION_WEIGHT_TOLERANCE_PCT",
        "decimal",
        Decimal("10"),
        group=INFUSION,
        minimum=0,
        maximum=100,
        help="today's weight further than this from the order's stops an infusion session and sends it back",
    ),
    Setting(
        "IVIG_VITALS_AFTER_START_MIN",
        "float",
        15.0,
        group=INFUSION,
        minimum=0,
        maximum=240,
        above=True,
        help="vital signs this many minutes after the start (15 min, docs/reference/monitoring.md s8)",
    ),
    Setting(
        "IVIG_VITALS_BEFORE_INCREASE",
        "bool",
        True,
        group=INFUSION,
        help="false drops the check before each rate increase and the rule that a step up needs"
        " recent vital signs",
    ),
    Setting(
        "IVIG_OBSERVE_AFTER_MIN",
        "float",
        30.0,
        group=INFUSION,
        minimum=0,
        maximum=480,
        above=True,
        help="observation after the end of an infusion (30-60 min, docs/reference/monitoring.md s8)",
    ),
    Setting(
        "IVIG_OBSERVE_AFTER_FIRST_MIN",
        "float",
        60.0,
        group=INFUSION,
        minimum=0,
        maximum=480,
        above=True,
        help="observation after a first infusion, a product switch or a gap of more than 8 weeks (1 h, s8)",
    ),
    Setting(
        "IVIG_VITALS_EARLY_MIN",
        "float",
        10.0,
        group=INFUSION,
        minimum=0,
        maximum=120,
        help="site decision: a reading this many minutes before a check's time counts for it; a rate increase"
        " needs a reading within this window",
    ),
    Setting(
        "IVIG_VITALS_GRACE_MIN",
        "float",
        5.0,
        group=INFUSION,
        minimum=0,
        maximum=120,
        help="site decision: a check is overdue this many minutes after its time",
    ),
    Setting(
        "IVIG_INFUSION_VOLUME_SLACK_ML",
        "float",
        5.0,
        group=INFUSION,
        minimum=0,
        maximum=100,
        help="an infusion may end this many mL short of the bag (line dead space) without a reason",
    ),
    Setting(
        "EMAIL_BACKEND",
        "str",
        "django.core.mail.backends.console.EmailBackend",
        group=MAIL,
        production_default="django.core.mail.backends.smtp.EmailBackend",
        accepts_doc="a Django e-mail backend's dotted path",
        help="how mail is sent (diary reminders, notices)",
    ),
    Setting("EMAIL_HOST", "str", "localhost", group=MAIL, help="the SMTP server"),
    Setting("EMAIL_PORT", "int", 25, group=MAIL, minimum=1, maximum=65535, help="the SMTP server's port"),
    Setting(
        "DEFAULT_FROM_EMAIL", "str", "ivig@localhost", group=MAIL, help="the sender of the system's e-mails"
    ),
    Setting(
        "IVIG_EMAIL_NOTIFICATIONS",
        "bool",
        False,
        group=MAIL,
        help="e-mail the prescriber when an order is sent back or decided on",
    ),
    Setting(
        "IVIG_FHIR_MRN_SYSTEM",
        "str",
        "urn:ivig:mrn",
        group=FHIR,
        check=uri_complaint,
        accepts_doc="a URI such as urn:oid:2.16.840.1.113883... or https://...",
        help="the identifier system of your medical record numbers in FHIR Patient resources (the"
        " URI or OID your"
        " EHR uses); an import matches identifiers on this system, or on those in the admin's **Identifier"
        " systems** table",
    ),
    Setting(
        "IVIG_SMART_ACCESS_TOKEN_SECONDS",
        "int",
        3600,
        group=FHIR,
        minimum=1,
        maximum=86400,
        help="lifetime of a SMART app's access token",
    ),
    Setting(
        "IVIG_SMART_BACKEND_TOKEN_SECONDS",
        "int",
        300,
        group=FHIR,
        minimum=1,
        maximum=86400,
        help="lifetime of a backend service's access token (SMART recommends five minutes)",
    ),
    Setting(
        "IVIG_SMART_REFRESH_TOKEN_DAYS",
        "int",
        30,
        group=FHIR,
        minimum=1,
        maximum=3650,
        help="a refresh token (offline_access only) dies this long after its last use",
    ),
    Setting(
        "IVIG_SMART_LAUNCH_MINUTES",
        "int",
        10,
        group=FHIR,
        minimum=1,
        maximum=1440,
        help="an EHR launch id (Launch app on a patient's page) must be used within this time",
    ),
    Setting(
        "IVIG_BULK_EXPORT_DIR",
        "path",
        None,
        group=FHIR,
        default_doc="`$IVIG_VAR_DIR/bulk-export`",
        help="where the background worker writes bulk export files",
    ),
    Setting(
        "IVIG_BULK_EXPORT_HOURS",
        "float",
        24.0,
        group=FHIR,
        minimum=0,
        maximum=8760,
        above=True,
        help="bulk export files are deleted this long after the export finished (the manifest's Expires)",
    ),
    Setting(
        "PORT",
        "int",
        8000,
        group=DEV,
        minimum=1,
        maximum=65535,
        read_by="make",
        help="port for `make run` (`make run PORT=8080` or `PORT=8080 make run`)",
    ),
    Setting(
        "TEST_DATABASE_URL",
        "database",
        "",
        group=DEV,
        read_by="make",
        default_doc="the local server",
        help="PostgreSQL for the second test run (`make test`)",
    ),
    Setting(
        "IVIG_CHROMIUM",
        "path",
        None,
        group=DEV,
        read_by="tests",
        default_doc="`/usr/bin/chromium`",
        accepts_doc="a file path",
        help="the Chromium the browser tests drive",
    ),
    Setting(
        "IVIG_PROPERTY_EXAMPLES",
        "int",
        20000,
        group=DEV,
        minimum=1,
        read_by="tests",
        help="examples per property in the clinical core's property-based tests",
    ),
)
