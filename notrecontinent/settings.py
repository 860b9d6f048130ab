"""Notre Continent settings: one module, driven by the environment.

Defaults run on one machine with nothing installed (SQLite, local-memory cache,
console e-mail). Production switches by environment variables, see README.md.
"""

import os
import secrets
import tempfile
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _secret_key():
    """SECRET_KEY from the environment, or generated once into an untracked file."""
    if key := env("SECRET_KEY", default=""):
        return key
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# How many reverse proxies of our own stand in front of the site, each appending to
# X-Forwarded-For: notrecontinent/clientaddress.py finds the client's address there.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT doit être un nombre positif ou nul.")

INSTALLED_APPS = [
    "accounts.apps.AdminConfig",  # django.contrib.admin, log-in counted (accounts/adminsite.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    # allauth.account, named apart from our accounts app on the admin dashboard.
    "accounts.apps.AllauthAccountConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "accounts",
    "articles",
    "comments",
    "reports",
    "sitepages",
    # The project package: the mail queue, periodic housekeeping, backup and restore.
    "notrecontinent",
    # Background work: the task queue in the database and its periodic jobs.
    "django_tasks_db",
    "crontask",
]

MIDDLEWARE = [
    # Outermost: every response carries the request's id, and is logged once (LOG_FORMAT=json).
    "notrecontinent.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, which serves static files precompressed; above everything that
    # writes the response body.
    "notrecontinent.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "notrecontinent.urls"
WSGI_APPLICATION = "notrecontinent.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Database: SQLite by default, tuned for several gunicorn workers.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Tests use a file, not Django's shared in-memory database, so that the threads of a
    # transactional test (concurrent views, the live server) share it the way gunicorn
    # workers share the real one. One file per test process.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"notrecontinent-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when CACHE_URL or REDIS_URL says so.
_cache_url = env("CACHE_URL", default="") or env("REDIS_URL", default="")
CACHES = {
    "default": env.cache_url_config(_cache_url)
    if _cache_url
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nc"},
}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="nc")
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A Redis restart or outage must not turn pages into 500s: cache calls fail soft and
    # are logged (reads miss, writes are dropped, `cache.add` says "not added", so the
    # flood, replay and repeat-view checks refuse rather than let through), and a Redis
    # that stops answering costs a request one second at most.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# E-mail: console by default; filemail:///path, smtp://, smtps:// work.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    # filemail:///var/mail/nc is an absolute path, as in a URL.
    "file_path": _email.get("EMAIL_FILE_PATH") and "/" + _email["EMAIL_FILE_PATH"].lstrip("/"),
}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    # A server that accepts the connection and never answers must not hold a worker forever.
    _email_options["timeout"] = env.int("EMAIL_TIMEOUT", default=10)
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _email_options.items() if v not in (None, "")},
    },
}
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Notre Continent <ne-pas-repondre@notrecontinent.com>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Notre Continent] "

# Background work (every e-mail, the periodic jobs) goes through Django's tasks framework.
# The queue is a table of the site's own database (django-tasks-db): a task is queued in
# the transaction of the change it follows, and `manage.py db_worker` runs it. The periodic
# jobs are queued by `manage.py crontask` (django-crontask); with Redis, it holds a lock
# there so that only one scheduler runs. README, "Mise en production".
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CRONTASK = {"REDIS_URL": _cache_url}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
SITE_ID = 1

# django-allauth
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# One address per account, replaced only once the new one is confirmed.
ACCOUNT_CHANGE_EMAIL = True
# Mail the owner when the password or the address changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrateur", "moderateur", "moderation", "anonyme"]
# allauth's rate limits ask notrecontinent.clientaddress for the client's address
# (accounts/adapter.py); its own setting says the same number all the same.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# allauth rate limits stay on (its defaults, but for failed logins); they live in
# CACHES["default"], shared by every gunicorn worker when Redis is configured.
# Failed logins, on the site's form and the admin's alike: 10 a minute per client address;
# per account, however its login is typed (accounts/adapter.py), 5 in 5 minutes and 20 a
# day. A password reset gives the account its budget back.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key,20/d/key"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Dakar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media are served by Django itself in the default one-machine setup; turn off behind
# a proxy or with object storage (MEDIA_STORAGE_BACKEND, e.g. django-storages' S3).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
MEDIA_STORAGE_BACKEND = env(
    "MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
)


def _s3_media_options():
    """django-storages' S3 options, from MEDIA_S3_* (README, "Images sur un stockage objet")."""
    if not env("MEDIA_S3_BUCKET", default=""):
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET doit nommer le bucket des images avec ce MEDIA_STORAGE_BACKEND."
        )
    options = {
        "bucket_name": env("MEDIA_S3_BUCKET"),
        # Covers and avatars are public: plain links by default, which a page kept in the
        # page cache can carry. Signed links expire (MEDIA_S3_QUERYSTRING_EXPIRE seconds).
        "querystring_auth": env.bool("MEDIA_S3_QUERYSTRING_AUTH", default=False),
        "querystring_expire": env.int("MEDIA_S3_QUERYSTRING_EXPIRE", default=3600),
        # Every upload gets a fresh random name (notrecontinent.images) and is never
        # rewritten: browsers and CDNs may keep it for a year, as /media/ says.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        "location": env("MEDIA_S3_LOCATION", default=""),
    }
    # Unset: the service's defaults (AWS), and boto3's own credentials chain (the
    # AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables, an instance role).
    for option, variable in (
        ("endpoint_url", "MEDIA_S3_ENDPOINT_URL"),
        ("region_name", "MEDIA_S3_REGION"),
        ("access_key", "MEDIA_S3_ACCESS_KEY_ID"),
        ("secret_key", "MEDIA_S3_SECRET_ACCESS_KEY"),
        ("custom_domain", "MEDIA_S3_CUSTOM_DOMAIN"),
        ("default_acl", "MEDIA_S3_DEFAULT_ACL"),
        ("addressing_style", "MEDIA_S3_ADDRESSING_STYLE"),
    ):
        if value := env(variable, default=""):
            options[option] = value
    return options


STORAGES = {
    "default": {
        "BACKEND": MEDIA_STORAGE_BACKEND,
        "OPTIONS": _s3_media_options()
        if MEDIA_STORAGE_BACKEND.startswith("storages.backends.s3")
        else {},
    },
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy, defence in depth behind the one HTML sanitizer: nothing inline
# runs or styles unless it carries the request's nonce (the admin and the editor's import
# map do); the nonce appears in the header only on pages that used it. Article bodies may
# show images from any http(s) address, as the sanitizer allows; never data: URLs (the
# site's own CSS draws Bootstrap's form icons from static files instead).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "https:", "http:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, in production (README, "Production"): plain HTTP redirected, but for the
# probes of the proxy and the orchestrator; HSTS for SECURE_HSTS_SECONDS (0, the default,
# sends no header), with subdomains, and fit for the browsers' preload list.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

ADMINS = env.list("ADMIN_EMAILS", default=[])

# Records about a request (django.request's 4xx and 5xx, django.security) carry the
# client's address, found as everywhere else on the site.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_address": {"()": "notrecontinent.clientaddress.ClientAddressFilter"}},
    "formatters": {
        "client_address": {"format": "%(levelname)s %(name)s [%(client_address)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_address"],
            "formatter": "client_address",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
# Server errors are mailed to ADMINS through the mail queue, not from the failing request.
LOGGING["filters"]["require_debug_false"] = {"()": "django.utils.log.RequireDebugFalse"}
LOGGING["handlers"]["mail_admins"] = {
    "level": "ERROR",
    "filters": ["require_debug_false"],
    "class": "notrecontinent.logs.QueuedAdminEmailHandler",
}
LOGGING["loggers"] = {"django": {"handlers": ["mail_admins"], "level": "INFO"}}
# LOG_FORMAT=json: one JSON object per line with the request's id, one line per request
# (notrecontinent/logs.py); no e-mail address, client address, path or query string.
LOG_FORMAT = env("LOG_FORMAT", default="text")
if LOG_FORMAT == "json":
    LOGGING["filters"]["request_id"] = {"()": "notrecontinent.logs.RequestIdFilter"}
    LOGGING["formatters"]["json"] = {"()": "notrecontinent.logs.JSONFormatter"}
    LOGGING["handlers"]["console"] = {
        "class": "logging.StreamHandler",
        "filters": ["request_id"],
        "formatter": "json",
    }
    LOGGING["loggers"]["notrecontinent.request"] = {"level": "INFO"}
elif LOG_FORMAT != "text":
    raise ImproperlyConfigured("LOG_FORMAT doit valoir « text » ou « json ».")

# Most read: a repeat view by the same visitor within this window is not counted, and one
# network address (an IPv6 /64) adds at most VIEWS_PER_ADDRESS views of an article in it.
VIEW_REPEAT_WINDOW = 30 * 60
VIEWS_PER_ADDRESS = env.int("VIEWS_PER_ADDRESS", default=5)
# With Redis as the cache, counted views are buffered there and moved into the database
# at most this often (articles/readership.py); 0 writes each view to the database at once.
VIEW_FLUSH_SECONDS = env.int("VIEW_FLUSH_SECONDS", default=2)
MOST_READ_CACHE_SECONDS = 120

# Pages served to anonymous readers from the cache (notrecontinent/pagecache.py): fresh
# for this long, then renewed by one process while the others serve the previous copy
# for up to PAGE_CACHE_STALE_SECONDS more. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
PAGE_CACHE_STALE_SECONDS = 60

# Links typed without a scheme in comments ("www.example.org") open over https.
URLIZE_ASSUME_HTTPS = True

# Search ranks the newest this many matches, and above it reads "plus de …" without counting.
SEARCH_MAX_RESULTS = 1000
# Sitemaps: URLs per page of a section (the protocol allows 50,000), and how long a page
# is served from the cache.
SITEMAP_PAGE_SIZE = 5_000
SITEMAP_CACHE_SECONDS = 60 * 60

# Floods of paperwork. Submissions and reports are counted by allauth's rate limits, the
# site's one counter of attempts (accounts/forms.py uses it too), kept in the cache and
# shared by every worker with Redis: "amount/period/per", per author ("user") or per
# client address ("ip", from notrecontinent.clientaddress; IPv6 counted per /64).
# Over the limit, the answer is a 429 with a French message. (Added to the failed-login
# limits set with allauth's settings above.)
ACCOUNT_RATE_LIMITS |= {
    "submit_article": env("SUBMIT_RATE_LIMIT", default="5/h/user"),
    "report": env("REPORT_RATE_LIMIT", default="10/h/ip"),
}
# Moderators hear of an article's submission once in this many seconds at most, however
# many times it is withdrawn and submitted again.
SUBMISSION_NOTICE_SECONDS = env.int("SUBMISSION_NOTICE_SECONDS", default=60 * 60)
