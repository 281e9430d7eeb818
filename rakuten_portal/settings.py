"""Settings, read from the environment (see README "Configuration")."""
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab  # noqa: F401  (kept for schedule edits by operators)
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# No default in production: a deployment without its own secret must not start.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so that `runserver` is daphne's: the development server speaks ASGI (websockets too).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "formtools",
    "axes",
    "django_ratelimit",
    "channels",
    "orders",
    "claims",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rakuten_portal.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the language and the user (the 400 page shows both), before any view reads a parameter.
    "rakuten_portal.middleware.RefuseNulBytesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rakuten_portal.urls"
WSGI_APPLICATION = "rakuten_portal.wsgi.application"
ASGI_APPLICATION = "rakuten_portal.asgi.application"

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
                "rakuten_portal.context_processors.portal",
            ],
            "libraries": {"navbar_tags": "rakuten_portal.templatetags.navbar_tags",
                          "bootstrap_fields": "rakuten_portal.templatetags.bootstrap_fields"},
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded run has a web process, a worker and beat writing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, without a new client object per operation (rakuten_portal/cache.py).
    CACHES["default"]["BACKEND"] = "rakuten_portal.cache.PortalRedisCache"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the signed-in user's row read from the cache (rakuten_portal/auth_backend.py).
    "rakuten_portal.auth_backend.CachedUserBackend",
]
# How long a signed-in user's row may be served from the cache (seconds; 0: read on every request). It is
# dropped whenever the row is saved or deleted; this bounds only a change made around the model (SQL by hand).
USER_CACHE_SECONDS = env.int("USER_CACHE_SECONDS", default=300)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orders:account"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: a username+IP pair is locked for an hour after 5 failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# The posted name, cut to a username's length (a longer one overflowed axes' column on PostgreSQL).
AXES_USERNAME_CALLABLE = "rakuten_portal.login_throttle.throttled_username"

# --- Client address behind proxies ---
# How many reverse proxies of ours stand in front of the app, each appending to X-Forwarded-For. 0: the
# header is ignored and the client is REMOTE_ADDR. django-ipware reads it (rakuten_portal/client_address.py)
# for the login throttle and the rate limits alike.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
if "RATELIMIT_IP_META_KEY" in env.ENVIRON:
    # The old setting named one header and trusted whatever a client wrote in it.
    raise ImproperlyConfigured("RATELIMIT_IP_META_KEY is no longer read: set TRUSTED_PROXY_COUNT (see README).")
AXES_CLIENT_IP_CALLABLE = "rakuten_portal.client_address.client_ip"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["rakuten_portal.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private-media")))
# Uploads are never served from a public URL: only the authorised views stream them.
MEDIA_URL = None
STORAGES = {
    "default": {
        "BACKEND": env.str("PRIVATE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
DATA_UPLOAD_MAX_NUMBER_FILES = 20

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django 6.1's MAILERS, built from one EMAIL_URL (smtp+tls://user:password@host:587, consolemail://, filemail://…).
# filemail: the URL library drops the first slash of the path, so an absolute folder takes FOUR slashes
# (filemail:////var/mail/portal is /var/mail/portal); filemail:///var/mails is var/mails in the checkout.
_email = env.email("EMAIL_URL", default="consolemail://")
if _email.get("EMAIL_FILE_PATH") and not Path(_email["EMAIL_FILE_PATH"]).is_absolute():
    _email["EMAIL_FILE_PATH"] = str(BASE_DIR / _email["EMAIL_FILE_PATH"])
_email_options = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "host": _email.get("EMAIL_HOST"), "port": _email.get("EMAIL_PORT"),
        "username": _email.get("EMAIL_HOST_USER"), "password": _email.get("EMAIL_HOST_PASSWORD"),
        "use_tls": _email.get("EMAIL_USE_TLS", False), "use_ssl": _email.get("EMAIL_USE_SSL", False), "timeout": 10,
    },
    "django.core.mail.backends.filebased.EmailBackend": {"file_path": _email.get("EMAIL_FILE_PATH")},
}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options.get(_email["EMAIL_BACKEND"], {})}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rakuten Service client <service-client@portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Only for bench/: adds /bench/bare/, a view with no template and no query, the load test's ceiling.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)

# Celery: Redis in production and CI; the embedded default is a folder broker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue = VAR_DIR / "broker" / "queue"
    _done = VAR_DIR / "broker" / "processed"
    for _folder in (_queue, _done):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_done),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "broker" / "control"),
    }
else:
    # A publish must fail fast when the broker is down: the outbox row stays and the sweep sends it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A request publishes on a connection of its own (rakuten_portal/queue.py): connect and read timeout in seconds,
# no retry; after a failure the process publishes nothing for CELERY_PUBLISH_PAUSE seconds (the sweep sends).
CELERY_PUBLISH_TIMEOUT = env.float("CELERY_PUBLISH_TIMEOUT", default=0.15)
CELERY_PUBLISH_PAUSE = env.float("CELERY_PUBLISH_PAUSE", default=10.0)
# Three queues, so that a backlog of e-mails never delays a takeover: "sweep" (time-driven work, its own
# worker), "emails" (every outbox send), "celery" (anything else). See README "Production".
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {name: {"exchange": name, "routing_key": name} for name in ("sweep", "emails", "celery")}
CELERY_TASK_ROUTES = {
    "claims.sweep": {"queue": "sweep"},
    "claims.send_notification_email": {"queue": "emails"},
    "claims.send_notification_emails": {"queue": "emails"},
    "helpdesk.send_email": {"queue": "emails"},
    "helpdesk.send_emails": {"queue": "emails"},
    # The help desk's periodic retry sends e-mails: a slow mail server must not hold up the sweep's queue.
    "helpdesk.send_due_emails": {"queue": "emails"},
    # Card refunds go to the payment provider: neither time-driven nor e-mail.
    "orders.execute_refund": {"queue": "celery"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
SWEEP_INTERVAL_SECONDS = env.float("SWEEP_INTERVAL_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    # A sweep queued while every worker was down expires: the next one catches up alone, not 1,440 in a row.
    "sweep": {"task": "claims.sweep", "schedule": SWEEP_INTERVAL_SECONDS, "options": {"expires": SWEEP_INTERVAL_SECONDS}},
    "helpdesk-emails": {"task": "helpdesk.send_due_emails", "schedule": SWEEP_INTERVAL_SECONDS},
}

# Content-Security-Policy (Django 6): no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the shared cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Contact-form rate limits (django-ratelimit): per IP and per account. The counters must be shared by
# every web process and incremented atomically: Redis (or memcached) in production. The embedded run's
# file cache is shared but not atomic (two posts in the same instant may count once) and the tests'
# locmem cache lives in one process: good enough there, so only for those two is the check silenced.
HELPDESK_CONTACT_RATE = env.str("HELPDESK_CONTACT_RATE", default="5/h")
RATELIMIT_USE_CACHE = "default"
# At most one acknowledgement e-mail per address in this time (minutes), whatever the number of requests.
HELPDESK_ACKNOWLEDGEMENT_INTERVAL = timedelta(minutes=env.int("HELPDESK_ACKNOWLEDGEMENT_INTERVAL_MINUTES", default=60))
# The client's address for the rate limits: the same function as the login throttle's (see below).
RATELIMIT_IP_META_KEY = "rakuten_portal.client_address.client_ip"
SILENCED_SYSTEM_CHECKS = []
if CACHES["default"]["BACKEND"] in ("django.core.cache.backends.filebased.FileBasedCache",
                                    "django.core.cache.backends.locmem.LocMemCache"):
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
if CACHES["default"]["BACKEND"] == "rakuten_portal.cache.PortalRedisCache":
    # Django's own Redis backend (ours only reuses its client) increments with INCRBY, atomic like django-redis's.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")

# --- Password reset throttle ---
# Valid "forgotten password" requests allowed per client address and per target e-mail (django-ratelimit
# rates, e.g. "3/h"), counted whether or not an account has that e-mail.
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="10/h")
PASSWORD_RESET_RATE_PER_EMAIL = env.str("PASSWORD_RESET_RATE_PER_EMAIL", default="3/h")

# Phone line of the customer service, Europe/Paris ("mon-fri 09:00-19:00; sat 10:00-18:00"; a missing day is
# closed), read by helpdesk/opening_hours.py like the chat's hours; closed on French public holidays unless 0.
SUPPORT_PHONE_HOURS = env.str("SUPPORT_PHONE_HOURS", default="mon-fri 09:00-19:00; sat 10:00-18:00")
SUPPORT_PHONE_CLOSED_ON_HOLIDAYS = env.bool("SUPPORT_PHONE_CLOSED_ON_HOLIDAYS", default=True)

# --- Live chat ---
# The channel layer carries the chat's frames between ASGI processes: Redis in production and CI
# (every daphne/uvicorn process on the same one), an in-memory layer for the embedded single process.
CHANNEL_LAYER_URL = env.str("CHANNEL_LAYER_URL", default="")
# Redis Pub/Sub by default (helpdesk/chat/layers.py says why: one PUBLISH per frame instead of ~17 Redis
# commands per chat message on `channels_redis.core.RedisChannelLayer`, which also drops frames past its
# `capacity`/`expiry`); the core layer stays a choice. Either way the database is the record of messages.
CHAT_LAYER_BACKEND = env.str("CHAT_LAYER_BACKEND", default="helpdesk.chat.layers.ChatPubSubChannelLayer")
# The layer's prefix for its keys and channels: one per site sharing a Redis server. Pub/Sub channels are shared
# by all the server's dbs, so the db number in CHANNEL_LAYER_URL does not keep two sites' chats apart.
CHANNEL_LAYER_PREFIX = env.str("CHANNEL_LAYER_PREFIX", default="asgi")


if CHANNEL_LAYER_URL.startswith(("redis://", "rediss://", "unix://")):
    CHANNEL_LAYERS = {"default": {"BACKEND": CHAT_LAYER_BACKEND, "CONFIG": {
        # Fail fast when Redis is down; the read timeout must exceed the core layer's blocking read (BZPOPMIN,
        # 5 s): redis-py 8 defaults it to 5 s, which kills a quiet socket's receive loop.
        # Connections per process: redis-py 8 stops at 100 and refuses (not waits) past it, which a burst of
        # sockets connecting at once reaches on the core layer (Pub/Sub holds two per process).
        "hosts": [{"address": CHANNEL_LAYER_URL, "socket_connect_timeout": 2, "socket_timeout": 15,
                   "max_connections": env.int("CHAT_LAYER_MAX_CONNECTIONS", default=1000)}],
        "prefix": CHANNEL_LAYER_PREFIX,
        # Core layer only (Pub/Sub ignores them): the frames a socket's queue holds, and for how long.
        **({} if "pubsub" in CHAT_LAYER_BACKEND.lower() else {
            "capacity": env.int("CHAT_LAYER_CAPACITY", default=200), "expiry": 60, "group_expiry": 86400}),
    }}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Chat hours, Europe/Paris, in the same notation as the phone's (see SUPPORT_PHONE_HOURS below).
CHAT_HOURS = env.str("CHAT_HOURS", default="mon-fri 09:00-19:00; sat 10:00-18:00")
CHAT_CLOSED_ON_HOLIDAYS = env.bool("CHAT_CLOSED_ON_HOLIDAYS", default=True)
CHAT_QUEUE_MAX = env.int("CHAT_QUEUE_MAX", default=10)
CHAT_FALLBACK_AFTER_SECONDS = env.int("CHAT_FALLBACK_AFTER_SECONDS", default=240)
CHAT_IDLE_TIMEOUT_SECONDS = env.int("CHAT_IDLE_TIMEOUT_SECONDS", default=900)
CHAT_MESSAGE_MAX_LENGTH = env.int("CHAT_MESSAGE_MAX_LENGTH", default=2000)
CHAT_MESSAGES_PER_MINUTE = env.int("CHAT_MESSAGES_PER_MINUTE", default=20)
CHAT_PRESENCE_LAPSE_SECONDS = env.int("CHAT_PRESENCE_LAPSE_SECONDS", default=120)
CHAT_HEARTBEAT_SECONDS = env.int("CHAT_HEARTBEAT_SECONDS", default=30)
CHAT_AGENT_CAPACITY = env.int("CHAT_AGENT_CAPACITY", default=3)
# The chat's database calls (helpdesk/chat/db.py) skip Django's health check (CONN_HEALTH_CHECKS, a SELECT 1
# before a call's first query) on a connection that finished a call without error less than this ago.
CHAT_DB_HEALTH_CHECK_AFTER_SECONDS = env.float("CHAT_DB_HEALTH_CHECK_AFTER_SECONDS", default=5.0)
# Estimated wait per place in the queue before any conversation has been measured.
CHAT_DEFAULT_HANDLE_SECONDS = env.int("CHAT_DEFAULT_HANDLE_SECONDS", default=300)

# --- Agents' desk: satisfaction after closing, sellers' and buyers' records ---
# The satisfaction question leaves this long after a claim or a request ends, by the sweep.
SATISFACTION_DELAY = timedelta(hours=env.float("SATISFACTION_DELAY_HOURS", default=24.0))
# How long its signed link can be answered (once).
SATISFACTION_LINK_MAX_AGE = timedelta(days=env.int("SATISFACTION_LINK_DAYS", default=28))
# Sellers' and buyers' records: the window, and the thresholds past which agents see a flag.
RECORD_WINDOW = timedelta(days=env.int("RECORD_WINDOW_DAYS", default=90))
# How long the seller's own record on the Espace vendeur is reused before it is counted again (seconds; 0: each
# view counts it). Agents' pages always count it afresh.
SELLER_RECORD_CACHE_SECONDS = env.int("SELLER_RECORD_CACHE_SECONDS", default=300)
SELLER_CLAIM_RATE_FLAG = env.float("SELLER_CLAIM_RATE_FLAG", default=0.02)
SELLER_TAKEOVER_SHARE_FLAG = env.float("SELLER_TAKEOVER_SHARE_FLAG", default=0.30)
SELLER_FIRST_ANSWER_FLAG = timedelta(hours=env.float("SELLER_FIRST_ANSWER_FLAG_HOURS", default=48.0))
BUYER_CLAIMS_FLAG = env.int("BUYER_CLAIMS_FLAG", default=5)

# --- Claim windows ---
# Every time window of the claim rules, read once here; the deadline code, the pages and the e-mails use these
# names and never write the numbers again (README "Configuration").
CLAIM_SELLER_BUSINESS_DAYS = env.int("CLAIM_SELLER_BUSINESS_DAYS", default=3)
CLAIM_EXTENDED_BUSINESS_DAYS = env.int("CLAIM_EXTENDED_BUSINESS_DAYS", default=7)
CLAIM_NOT_RECEIVED_AFTER_DAYS = env.int("CLAIM_NOT_RECEIVED_AFTER_DAYS", default=17)
# After the carrier marked the order delivered, a "not received" claim needs the buyer's sworn statement, and
# is refused once this many days have passed since the delivery.
CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS = env.int("CLAIM_NOT_RECEIVED_AFTER_DELIVERY_DAYS", default=7)
SALE_CLOSES_AFTER_WEEKS = env.int("SALE_CLOSES_AFTER_WEEKS", default=6)
CLAIM_RETURN_SHIP_BUSINESS_DAYS = env.int("CLAIM_RETURN_SHIP_BUSINESS_DAYS", default=5)
# The seller's time to confirm receipt of a return (and so release the refund), counted from the day the buyer
# shipped it: the transit is included, since the portal does not follow the return's parcel.
CLAIM_RETURN_CONFIRM_BUSINESS_DAYS = env.int("CLAIM_RETURN_CONFIRM_BUSINESS_DAYS", default=7)
CLAIM_APPEAL_DAYS = env.int("CLAIM_APPEAL_DAYS", default=30)
# The reports roll a week's figures up once this long after its end (never sooner than the appeal window,
# the last act that can change an ended claim): claims/report_weeks.py.
REPORT_WEEK_FROZEN_AFTER = timedelta(days=env.int("REPORT_WEEK_FROZEN_AFTER_DAYS", default=CLAIM_APPEAL_DAYS + 7))
# What the pages promise for a refund to the card (the provider's usual delay), in business days.
REFUND_CARD_BUSINESS_DAYS = env.int("REFUND_CARD_BUSINESS_DAYS", default=5)
# The payment provider that executes refunds to the card: "manual" (an agent marks them paid in the admin).
REFUND_PROVIDER = env.str("REFUND_PROVIDER", default="manual")

# --- Page caches (issue 13) ---
# The navbar's per-user part is dropped from the cache whenever what it shows changes; this only bounds
# how long a change that slipped past that could show. Public pages (help centre, contact page and the
# anonymous contact form) are cached per language until an article or the phone hours change.
NAVBAR_CACHE_SECONDS = env.int("NAVBAR_CACHE_SECONDS", default=300)
# A seller's payout totals ("Mes ventes"), dropped whenever one of their payouts changes; this bounds the rest.
PAYOUT_TOTALS_CACHE_SECONDS = env.int("PAYOUT_TOTALS_CACHE_SECONDS", default=3600)
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=3600)
# The help search's result pages, one per language and query typed: shorter, as anyone can make new ones.
HELP_SEARCH_CACHE_SECONDS = env.int("HELP_SEARCH_CACHE_SECONDS", default=600)
