"""Settings shared by every environment.

This is the only settings module that reads the environment (django-environ); local, test and
production only adjust what is read here. See https://docs.djangoproject.com/en/6.1/ref/settings/.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .mailers import mailers_from_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core --------------------------------------------------------------------------------------
# Production refuses to start without these (see production.py); local/test fill in safe values.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Municipality ------------------------------------------------------------------------------
# Larvik is the first municipality, not the only one: its facts are settings, never literals.
MUNICIPALITY = {
    "name": env.str("MUNICIPALITY_NAME", default="Larvik kommune"),
    "short_name": env.str("MUNICIPALITY_SHORT_NAME", default="Larvik"),
    "number": env.str("MUNICIPALITY_NUMBER", default="3907"),
    "population": env.int("MUNICIPALITY_POPULATION", default=48246),
    "contact_email": env.str("MUNICIPALITY_CONTACT_EMAIL", default="postmottak@larvik.kommune.no"),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "larvik_nmu",
    "core",
    "users",
    "notifications",
    "committees",
    "proposals",
    "dugnads",
    "agreements",
    "grants",
    # Every change to an agreement's terms and money is kept, with who and when.
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files get these too (SECURE_CROSS_ORIGIN_RESOURCE_POLICY,
    # PERMISSIONS_POLICY).
    "core.middleware.CrossOriginResourcePolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a logged-in user's preferred language counts.
    "larvik_nmu.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL byte in a query string is a 404 before any view or filter (core/http.py).
    "core.http.NulByteQueryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Who made a change, for django-simple-history's records (the agreements' money).
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After allauth's: staff reach the admin only with a second factor (STAFF_MFA_REQUIRED).
    "users.mfa.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "larvik_nmu.urls"
WSGI_APPLICATION = "larvik_nmu.wsgi.application"

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
                "django.template.context_processors.csp",
                "larvik_nmu.context_processors.site",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]
# Forms render with Designsystemet markup: errors next to each field (templates/forms/).
FORM_RENDERER = "core.forms.DesignsystemetFormRenderer"

# --- Database ----------------------------------------------------------------------------------
# DATABASE_URL unset means the embedded default (SQLite); production requires it.
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = {
    "default": env.db_url_config(DATABASE_URL)
    if DATABASE_URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        # make run has a web server and worker processes writing at once: take the write lock
        # when a transaction starts and wait for it, rather than fail with "database is locked".
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)

# --- Cache (allauth rate limits need a real, shared cache) --------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to "no cache" while Redis is down (larvik_nmu/cache.py).
            "BACKEND": "larvik_nmu.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nmu",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": None},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "nmu_cache",
        }
    }

# --- Accounts ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Issue 10: at least 12 characters (allauth's forms validate through these validators too).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address logs the person in and resumes where they started (the sign-up's
# `next`), but only in the browser session that signed up: a link opened elsewhere asks for a
# login first (allauth's rule, see users/adapters.py).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing or removing an e-mail address asks for the password again unless it was given in
# the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (allauth's default, 300).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# The password (or, for those who have one, the second factor), not an e-mailed sign-in code.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
# Tell the account's owner when its password or e-mail address changes (security notices).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SIGNUP_FORM_CLASS = "users.forms.SignupForm"
ACCOUNT_ADAPTER = "users.adapters.AccountAdapter"
# Every e-mail from the portal (account and notifications) starts its subject with this.
EMAIL_SUBJECT_PREFIX = "[Nærmiljøutvalg] "
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
SOCIALACCOUNT_PROVIDERS = {}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The authenticator app lists the portal by the municipality's name, not the host name.
MFA_TOTP_ISSUER = f"{MUNICIPALITY['name']} · Nærmiljøutvalg"
# Staff must set up and use a second factor before the admin opens (users/mfa.py). On in
# production.py; off here, in local.py (make run's demo) and in test.py (tests turn it on).
STAFF_MFA_REQUIRED = False
# Rate limits count per client address (users/throttling.py). Behind reverse proxies allauth
# takes it from X-Forwarded-For, this many entries from the right (each proxy of ours appends
# one), or from a header a trusted proxy sets (DJANGO_TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP).
# Unset: 0 here, the connection's own address (runserver faces the browser); 1 in production.py.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=None)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT or 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("DJANGO_TRUSTED_CLIENT_IP_HEADER", default="") or None

# --- I18n --------------------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["larvik_nmu.formats"]
LANGUAGE_COOKIE_NAME = "nmu_language"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail (Django 6.1 MAILERS: https://docs.djangoproject.com/en/6.1/topics/email/) ----------
# EMAIL_URL in production (smtp+tls://user:pass@host:587 and the other schemes in mailers.py; an
# unknown scheme stops the start-up); else a folder of .eml files (EMAIL_FILE_PATH) or the
# console, so a newcomer needs no mail server.
EMAIL_URL = env.str("EMAIL_URL", default="")
MAIL_FOLDER = env.str("EMAIL_FILE_PATH", default="")
if EMAIL_URL:
    MAILERS = mailers_from_url(EMAIL_URL)
elif MAIL_FOLDER:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": MAIL_FOLDER},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Larvik kommune <nmu@larvik.kommune.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (strict CSP: no inline scripts or styles anywhere) --------------------------------
# https://docs.djangoproject.com/en/6.1/ref/csp/
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],  # Inter is self-hosted (static/vendor/inter); no font comes inline
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
# No other site may load our pages or files into its own (core/middleware.py).
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Browser features no page uses are off, for us and anything embedded (django-permissions-policy).
# No page asks for the position (a committee's map point is typed in), so geolocation is off too.
# Only features Chromium knows: it logs "Unrecognized feature" for any other on every page
# (ambient-light-sensor and bluetooth were; tests/core/test_headers.py, tests/browser).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# --- Celery (https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html) ------------
# No broker configured means Celery's filesystem transport: no server needed for a newcomer.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "filesystem://"
CELERY_FOLDER = Path(env.str("CELERY_FOLDER", default=str(BASE_DIR / ".celery")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FOLDER / "queue"),
        "data_folder_out": str(CELERY_FOLDER / "queue"),
        "control_folder": str(CELERY_FOLDER / "control"),
        "processed_folder": str(CELERY_FOLDER / "processed"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when the broker is down: notify() only nudges delivery.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_FOLDER / "beat-schedule")
# Static schedule (django-celery-beat caps Django below 6.1), in CELERY_TIMEZONE (Europe/Oslo).
# Every entry is safe to run late or twice: tasks look back over a window and skip what is done.
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-deliver-pending": {
        "task": "notifications.deliver_pending",
        "schedule": env.float("NOTIFICATIONS_DELIVERY_INTERVAL", default=60.0),
    },
    "notifications-daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7),
        "kwargs": {"frequency": "daily"},
    },
    "notifications-weekly-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
        "kwargs": {"frequency": "weekly"},
    },
    # Catch-up: a 07:00 run missed while beat or the workers were down goes out within the hour.
    "notifications-digest-catch-up": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=30),
    },
    "notifications-delete-old": {
        "task": "notifications.delete_old",
        "schedule": crontab(minute=45, hour=3),
    },
    "committees-board-terms": {
        "task": "committees.follow_up_board_terms",
        "schedule": crontab(minute=15, hour=6),
    },
    # Invitations to addresses without an account (committees/invitations.py); nudged on commit too.
    "committees-board-invitations": {
        "task": "committees.send_board_invitations",
        "schedule": 60.0,
    },
    # Hourly, though deadlines are days: a run missed at night is caught up in the morning.
    "proposals-deadlines": {
        "task": "proposals.follow_up_deadlines",
        "schedule": crontab(minute=20),
    },
    # Dugnads (dugnads/services/follow_up.py): the municipality's resource answers and the
    # committee's report are deadlines in days, followed up hourly like the proposals'; the
    # participants' reminder is due some hours before the start, so it runs every quarter.
    "dugnads-resource-deadlines": {
        "task": "dugnads.follow_up_resources",
        "schedule": crontab(minute=25),
    },
    "dugnads-reports": {
        "task": "dugnads.follow_up_reports",
        "schedule": crontab(minute=35),
    },
    "dugnads-participant-reminders": {
        "task": "dugnads.remind_participants",
        "schedule": crontab(minute="*/15"),
    },
    # E-mails to guests signed up for a dugnad (dugnads/guest_mail.py); nudged on commit too.
    "dugnads-guest-mail": {
        "task": "dugnads.send_guest_mail",
        "schedule": 120.0,
    },
    # Agreements (agreements/tasks.py): days, not hours, so daily in the early morning, the clock
    # first (an agreement that comes into force today is followed up in the same morning); each
    # looks back, so a morning missed is caught up the next.
    "agreements-follow-up": {
        "task": "agreements.follow_up",
        "schedule": crontab(minute=5, hour=5),
    },
    "agreements-payments": {
        "task": "agreements.follow_up_payments",
        "schedule": crontab(minute=15, hour=5),
    },
    "agreements-reports": {
        "task": "agreements.follow_up_reports",
        "schedule": crontab(minute=25, hour=5),
    },
    # Grants (grants/tasks.py): both parties' application deadlines, the annual reports.
    "grants-applications": {
        "task": "grants.follow_up_applications",
        "schedule": crontab(minute=35, hour=5),
    },
    "grants-annual-reports": {
        "task": "grants.follow_up_annual_reports",
        "schedule": crontab(minute=45, hour=5),
    },
}

# --- Notifications (notifications/delivery.py explains the guarantees) --------------------------
NOTIFICATIONS = {
    "BATCH_SIZE": 25,
    "BATCHES_PER_RUN": 8,
    # A claimed row is leased to one worker this long. Must exceed CELERY_TASK_TIME_LIMIT so a
    # live task never loses its claim (checked at start-up); a killed worker's rows come back
    # after it.
    "CLAIM_SECONDS": env.int("NOTIFICATIONS_CLAIM_SECONDS", default=600),
    "MAX_ATTEMPTS": 6,
    "RETRY_BACKOFF_SECONDS": [60, 300, 900, 3600, 4 * 3600],
    "DIGEST_HOUR": 7,
    "DIGEST_MAX_ITEMS": 200,
    # Notifications are messages, not the case record (that lives with the case): after this
    # many days they are deleted (privacy statement), unless still waiting to be e-mailed.
    "KEEP_DAYS": 540,
}

# --- Proposals (docs/proposals.md): deadlines both sides must meet, and § 12-1 ------------------
DUGNADS = {
    # The hourly follow-up: participants are reminded each dugnad's own hours before (default
    # 48), the municipality this many days before its answer is due; passed deadlines are
    # reported (and missed runs caught up) for this many days after.
    "RESOURCE_REMINDER_DAYS_BEFORE": 3,
    "LOOKBACK_DAYS": 14,
    # The organisers are reminded to report this many days after the end, then told it is
    # overdue (and the board with them) the day after the last.
    "REPORT_REMINDER_DAYS_AFTER": (1, 3),
    "PHOTO_MAX_BYTES": 8 * 1024 * 1024,
    "PHOTO_MAX_COUNT": 10,
    # Photos are stored at most this wide or tall, re-encoded (no EXIF, no GPS position).
    "PHOTO_MAX_PIXELS": 2000,
    # Guests (no account) may sign up this many times an hour from one client address. Parents
    # on a school's or a workplace's shared connection sign up together; a script does not get
    # far (a guest's sign-up holds no place until its e-mail link is opened).
    "GUEST_SIGNUPS_PER_HOUR": 20,
}

PROPOSALS = {
    "REFERENCE_PREFIX": env.str("PROPOSALS_REFERENCE_PREFIX", default="NMU"),
    # The committee handles a submitted proposal within this many days.
    "COMMITTEE_DAYS": env.int("PROPOSALS_COMMITTEE_DAYS", default=21),
    # Forvaltningsloven § 11 a: a preliminary answer when a case takes longer than a month.
    "PRELIMINARY_ANSWER_MONTHS": env.int("PROPOSALS_PRELIMINARY_ANSWER_MONTHS", default=1),
    # The municipality decides a forwarded proposal within this many days.
    "DECISION_DAYS": env.int("PROPOSALS_DECISION_DAYS", default=60),
    # Kommuneloven § 12-1: a citizens' proposal is decided within six months.
    "CITIZEN_PROPOSAL_MONTHS": 6,
    # § 12-1: 2 % of the residents (MUNICIPALITY["population"]), but 300 signatures always suffice.
    "CITIZEN_PROPOSAL_SHARE_PERCENT": 2,
    "CITIZEN_PROPOSAL_MAX_SIGNATURES": 300,
    # The committee answers the municipality's request for information within this many days.
    "INFO_REQUEST_DAYS": env.int("PROPOSALS_INFO_REQUEST_DAYS", default=14),
    # Reminders go out this many days before a deadline; a passed deadline is reported (and
    # missed runs caught up) for this many days after.
    "REMINDER_DAYS_BEFORE": 3,
    "LOOKBACK_DAYS": 14,
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    "ATTACHMENT_MAX_COUNT": 5,
}

# --- Logging -----------------------------------------------------------------------------------
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# --- Agreements (issue 12) -------------------------------------------------------------------
GRANTS = {
    # Annual reports (grants.services.annual_reports): due by this (month, day) of the next
    # year; the board is reminded this many days before, a passed deadline is told (and
    # escalated to the department) for LOOKBACK_DAYS days after.
    "ANNUAL_REPORT_DUE": (5, 1),
    "ANNUAL_REPORT_REMINDER_DAYS_BEFORE": env.int(
        "GRANTS_ANNUAL_REPORT_REMINDER_DAYS_BEFORE", default=21
    ),
    # The department (slug) that reviews annual reports; empty: every case handler.
    "ANNUAL_REPORT_DEPARTMENT": env.str("GRANTS_ANNUAL_REPORT_DEPARTMENT", default=""),
    # Applications: each party is reminded this many days before its deadline.
    "REMINDER_DAYS_BEFORE": env.int("GRANTS_REMINDER_DAYS_BEFORE", default=5),
    "LOOKBACK_DAYS": env.int("GRANTS_LOOKBACK_DAYS", default=14),
    # Uploads: photos (core.attachments' photo types), receipts and annual report documents
    # (PDF or image).
    "MAX_PHOTOS_PER_APPLICATION": 10,
    "MAX_PHOTO_BYTES": 8 * 1024 * 1024,
    "MAX_DOCUMENT_BYTES": 10 * 1024 * 1024,
    "MAX_DOCUMENTS_PER_REPORT": 20,
}

AGREEMENTS = {
    # Both parties' deadlines, followed up daily: the department is reminded this many days
    # before a payment is due, the committee before a report is due; a passed deadline is told
    # (and escalated) for this many days after, so a missed run is caught up.
    "PAYMENT_REMINDER_DAYS_BEFORE": env.int("AGREEMENTS_PAYMENT_REMINDER_DAYS_BEFORE", default=7),
    "REPORT_REMINDER_DAYS_BEFORE": env.int("AGREEMENTS_REPORT_REMINDER_DAYS_BEFORE", default=14),
    "LOOKBACK_DAYS": env.int("AGREEMENTS_LOOKBACK_DAYS", default=14),
    # Report photos (core.attachments' photo types).
    "MAX_PHOTOS_PER_REPORT": 10,
    "MAX_PHOTO_BYTES": 8 * 1024 * 1024,
}
