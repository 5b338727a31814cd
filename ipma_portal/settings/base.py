"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


# Only the local and test settings may start the embedded PostgreSQL and Redis (they set this before
# importing this module); anywhere else a missing URL stops the process with the variable named.
EMBEDDED_SERVICES = env.bool("IPMA_EMBEDDED_SERVICES", default=False)


def _service_urls() -> tuple[str, str]:
    """The configured PostgreSQL and Redis, or the embedded ones where the settings allow them."""
    from django.core.exceptions import ImproperlyConfigured

    database_url = env.str("DATABASE_URL", default="")
    redis_url = env.str("REDIS_URL", default="")
    if EMBEDDED_SERVICES and (not database_url or not redis_url):
        from ipma_portal import embedded

        database_url = database_url or embedded.postgres_url()
        redis_url = redis_url or embedded.redis_url()
    for name, value in (("DATABASE_URL", database_url), ("REDIS_URL", redis_url)):
        if not value:
            raise ImproperlyConfigured(
                f"{name} is not set: these settings never start an embedded server; point {name} at your server."
            )
    return database_url, redis_url


DATABASE_URL, REDIS_URL = _service_urls()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The accrediting body's name as its own site gives it: the footer, receipts and certificates print this one.
BODY_NAME = env.str("BODY_NAME", default="International Professional Mentor Association")

INSTALLED_APPS = [
    # before the admin, so that translated fields show per language there
    "modeltranslation",
    # the admin, on a site that records every add, change and deletion in the audit trail
    "audit.apps.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.postgres",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_countries",
    "django_celery_beat",
    "csp",
    "django_filters",
    "import_export",
    "simple_history",
    # the portal
    "applicants",
    "notifications",
    "audit",
    "workflows",
    "staff",
    # views of the whole; early so that its step tracker leads the dashboard's panels
    "insights",
    "accreditation",
    "exams",
    "fasttrack",
    "partners",
    "organizations",
    "payments",
    "certificates",
    "content",
    "events",
    "publications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "applicants.middleware.TimezoneMiddleware",
    "applicants.middleware.StaffSessionMiddleware",
    "applicants.middleware.StaffMFARequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ipma_portal.urls"
WSGI_APPLICATION = "ipma_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "applicants.context_processors.roles",
                "ipma_portal.context_processors.portal",
                "ipma_portal.context_processors.csrf",
            ],
        },
    },
]

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No parallel workers per query by default: the portal's queries are short and many run at once, and on a machine of
# a few cores the workers a Gather starts cost more than they save (a committee search read 20-25 % longer with
# them). Set to a number to allow them, or to an empty value to send no option (PgBouncer refuses unknown startup
# parameters unless told to ignore "options").
_PARALLEL_WORKERS = env.str("DATABASE_MAX_PARALLEL_WORKERS_PER_GATHER", default="0")
if _PARALLEL_WORKERS:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c max_parallel_workers_per_gather={int(_PARALLEL_WORKERS)}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database cache keeps login rate limits shared by every process and working while Redis is down.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}

AUTH_USER_MODEL = "applicants.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "applicants:dashboard"

SITE_ID = 1
ACCOUNT_ADAPTER = "applicants.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "applicants.forms.SignupNameForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IPMA] "
# Brute-force protection: allauth counts failed logins per IP and per account in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "IPMA Portal"
# TOTP secrets and recovery-code seeds are stored encrypted (applicants.adapters.MFAAdapter) with
# MFA_ENCRYPTION_KEY: comma-separated passphrases, the first encrypts, all decrypt (rotation).
# local.py and test.py set one; production refuses to start without it.
MFA_ADAPTER = "applicants.adapters.MFAAdapter"
MFA_ENCRYPTION_KEY = env.list("MFA_ENCRYPTION_KEY", default=[])
# Adding or removing an authenticator asks for a code mailed to a verified address or an existing
# factor, never the password alone (a stolen password must not be enough to enrol a new TOTP).
ACCOUNT_REAUTHENTICATION_METHODS = ["code", "mfa"]
# Staff (anyone whose access comes from staff status, a group's or their own permissions) are signed
# out after this many minutes without a request (applicants.middleware.StaffSessionMiddleware).
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# Translated fields (django-modeltranslation): a missing Chinese value falls back to the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ipma_portal.formats"]  # one date format per language on every page
# django-countries names that read wrongly: its English for Nauru is "Naoero", and its Chinese catalog misspells
# some (尼珀尔, 塔吉克斯斯坦), cuts one short, gives Samoa American Samoa's name and Dominica the Dominican Republic's.
# Named here, they are read from the portal's own catalog, which translates them.
COUNTRIES_OVERRIDE = {
    "AS": _("American Samoa"),
    "BA": _("Bosnia and Herzegovina"),
    "BS": _("Bahamas"),
    "DM": _("Dominica"),
    "GF": _("French Guiana"),
    "KG": _("Kyrgyzstan"),
    "KM": _("Comoros"),
    "LR": _("Liberia"),
    "MK": _("North Macedonia"),
    "ML": _("Mali"),
    "NP": _("Nepal"),
    "NR": _("Nauru"),
    "SJ": _("Svalbard and Jan Mayen"),
    "SR": _("Suriname"),
    "TJ": _("Tajikistan"),
    "TT": _("Trinidad and Tobago"),
    "WS": _("Samoa"),
}
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded documents are private: they are never served at MEDIA_URL, only through permission-checked views.
STORAGES = {
    "default": {
        "BACKEND": env.str("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640

# documents: private uploads and generated files, outside MEDIA_ROOT and never served by a URL.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)

# applicants: a mentee (or supervisor) confirms logged hours through a link that needs no account.
APPLICANTS_HOURS_CONFIRMATION_DAYS = env.int("APPLICANTS_HOURS_CONFIRMATION_DAYS", default=30)  # the link's life
APPLICANTS_HOURS_CONFIRMATION_DAILY_LIMIT = env.int("APPLICANTS_HOURS_CONFIRMATION_DAILY_LIMIT", default=20)  # per mentor
APPLICANTS_HOURS_CONFIRM_RATE = env.str("APPLICANTS_HOURS_CONFIRM_RATE", default="30/h")  # page views per client address

# accreditation: the documents give no numbers for these; staff may change them.
ACCREDITATION_AUDIT_SHARE = env.float("ACCREDITATION_AUDIT_SHARE", default=0.10)  # share of submissions audited
ACCREDITATION_APPEAL_DAYS = env.int("ACCREDITATION_APPEAL_DAYS", default=30)  # days after a rejection to appeal
ACCREDITATION_MAX_DOCUMENTS = env.int("ACCREDITATION_MAX_DOCUMENTS", default=20)  # per application
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IPMA Portal <no-reply@ipma.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis is only the broker; results are not kept, every side effect lives in PostgreSQL.
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
# A request must not hang when the broker is away: publishing gives up fast, the outbox sweep resends.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

# Outbox: a message not sent within this many seconds of being queued is picked up by the sweep.
OUTBOX_SWEEP_GRACE_SECONDS = env.int("OUTBOX_SWEEP_GRACE_SECONDS", default=30)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
# Account mail (reset and confirmation links, sign-in codes) is stored encrypted and erased once sent.
# Comma-separated passphrases: the first encrypts, all decrypt; unset, a key is derived from SECRET_KEY.
OUTBOX_ENCRYPTION_KEY = env.list("OUTBOX_ENCRYPTION_KEY", default=[]) or [SECRET_KEY]
# The body of every sent message is erased this many days after sending (subject and recipients stay).
OUTBOX_SENT_RETENTION_DAYS = env.int("OUTBOX_SENT_RETENTION_DAYS", default=30)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # One inline style attribute and no other: django-simple-history's history page writes
        # style="border-top: 0" on its paginator, which the browser otherwise refuses (a console error).
        "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# exams ----------------------------------------------------------------------------------------
# The source documents give no numbers for these; each is a setting with a stated default.
# Cancelling or rescheduling a booking closes this many days before the session starts.
EXAM_CHANGE_DEADLINE_DAYS = env.int("EXAM_CHANGE_DEADLINE_DAYS", default=14)
# The exam must be sat within this many months of the application being accepted for the exam.
EXAM_ELIGIBILITY_MONTHS = env.int("EXAM_ELIGIBILITY_MONTHS", default=12)
# Sittings per accepted application; every attempt after the first carries the retake fee.
EXAM_ATTEMPT_LIMIT = env.int("EXAM_ATTEMPT_LIMIT", default=3)
# Pass mark per level: the weighted total (0-100) a candidate needs; 70 unless set per level.
EXAM_PASS_MARKS = {code: env.int(f"EXAM_PASS_MARK_{code}", default=70) for code in ("AM", "PM", "SM", "MM")}
EXAM_REMINDER_DAYS = env.int("EXAM_REMINDER_DAYS", default=7)
# A seat freed in a full session is held this long for the first person on its waiting list.
EXAM_WAITLIST_OFFER_HOURS = env.int("EXAM_WAITLIST_OFFER_HOURS", default=48)
# A booking whose exam fee is still unpaid this many hours after booking loses its seat (the invoice
# is voided). The name is kept from when payments ran this job, so deployments keep their value.
PAYMENTS_EXAM_UNPAID_RELEASE_HOURS = env.int("PAYMENTS_EXAM_UNPAID_RELEASE_HOURS", default=72)

# payments -------------------------------------------------------------------------------------
# Stripe Checkout is offered only when both keys are set; with none the portal runs without it.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# The offline demo provider marks invoices paid without money moving: local.py turns it on,
# production.py refuses to start with it on.
PAYMENTS_DEMO_PROVIDER = env.bool("PAYMENTS_DEMO_PROVIDER", default=False)
# Bank transfer is offered when the account details to show payers are set (staff confirm receipt).
PAYMENTS_BANK_TRANSFER_DETAILS = env.str("PAYMENTS_BANK_TRANSFER_DETAILS", default="")
# The source documents give no price for these; each seeds the fee schedule (staff change it in the admin).
PAYMENTS_PROGRAMME_ACCREDITATION_FEE = env.str("PAYMENTS_PROGRAMME_ACCREDITATION_FEE", default="1000.00")
PAYMENTS_RENEWAL_FEE = env.str("PAYMENTS_RENEWAL_FEE", default="99.00")
# Membership plans: code -> name, fee (USD) and duration in months. No prices in the sources: defaults.
PAYMENTS_MEMBERSHIP_PLANS = env.json(
    "PAYMENTS_MEMBERSHIP_PLANS",
    default={
        "annual": {"name": "Annual membership", "fee": "60.00", "months": 12},
        "five-year": {"name": "Five-year membership", "fee": "250.00", "months": 60},
    },
)
# "Upgrade your membership to a permanent status ... after 5 years of membership" (the body's site).
PAYMENTS_MEMBERSHIP_UPGRADE_AFTER_YEARS = env.int("PAYMENTS_MEMBERSHIP_UPGRADE_AFTER_YEARS", default=5)
# WeasyPrint logs every rendering step at INFO; receipts are rendered on each payment.
LOGGING["loggers"]["weasyprint"] = {"level": "WARNING"}

# partners / fasttrack -------------------------------------------------------------------------
# A staff invitation (QTSPs now, organizations later) can be accepted for this many days.
STAFF_INVITATION_MAX_AGE_DAYS = env.int("STAFF_INVITATION_MAX_AGE_DAYS", default=14)
# A QTSP has this many business days (Monday to Friday) to accept a fast-track referral before the
# committee is alerted; the sources give no number.
FASTTRACK_REFERRAL_RESPONSE_BUSINESS_DAYS = env.int("FASTTRACK_REFERRAL_RESPONSE_BUSINESS_DAYS", default=2)
# How many QTSPs the reviewer sees, nearest first, when assigning a fast-track candidate.
FASTTRACK_CANDIDATES_SHOWN = env.int("FASTTRACK_CANDIDATES_SHOWN", default=5)
# Training that counts (issue 18). Per level: the least hours of an approved programme and, where the source
# says so, the only format that counts. "Complete online 32 hours training" (AM) is the source's; it gives no
# hours for PM, SM and MM, so any approved programme of the level counts unless these are set.
PARTNERS_TRAINING_REQUIREMENTS = {
    "AM": {"hours": env.int("PARTNERS_TRAINING_HOURS_AM", default=32), "format": "online"},
    "PM": {"hours": env.int("PARTNERS_TRAINING_HOURS_PM", default=0), "format": ""},
    "SM": {"hours": env.int("PARTNERS_TRAINING_HOURS_SM", default=0), "format": ""},
    "MM": {"hours": env.int("PARTNERS_TRAINING_HOURS_MM", default=0), "format": ""},
}
# A QTSP's approval lasts this many years; reminders go this many days before it ends, each once.
QTSP_APPROVAL_YEARS = env.int("QTSP_APPROVAL_YEARS", default=3)
QTSP_APPROVAL_REMINDER_DAYS = env.list("QTSP_APPROVAL_REMINDER_DAYS", cast=int, default=[90, 30, 7])

# certificates ---------------------------------------------------------------------------------
# The source documents give no numbers for renewal (CCR): each is a setting with a stated default.
# PDUs (one per hour) to earn per 5-year certificate period, per level. The documents name the
# Continuing Certification Requirements programme and PDUs but no figures; these defaults rise in
# steps of 15 with the level (AM 30, PM 45, SM 60, MM 75).
CERTIFICATES_PDU_REQUIRED = {
    code: env.int(f"CERTIFICATES_PDU_REQUIRED_{code}", default=default)
    for code, default in (("AM", 30), ("PM", 45), ("SM", 60), ("MM", 75))
}
# Share (0 to 1) of PDU claims drawn at random for the committee's audit; the rest count at once.
CERTIFICATES_PDU_AUDIT_SHARE = env.float("CERTIFICATES_PDU_AUDIT_SHARE", default=0.1)
# After expiry a certificate may still be renewed for this many days.
CERTIFICATES_GRACE_DAYS = env.int("CERTIFICATES_GRACE_DAYS", default=90)
# Renewal reminders go this many days before expiry, each once.
CERTIFICATES_REMINDER_DAYS = env.list("CERTIFICATES_REMINDER_DAYS", cast=int, default=[90, 30, 7])
# Accredited programmes are renewed every 5 years, like individual certificates.
CERTIFICATES_PROGRAMME_VALIDITY_YEARS = env.int("CERTIFICATES_PROGRAMME_VALIDITY_YEARS", default=5)
# Public verification and badge look-ups per client IP (django-ratelimit rate).
CERTIFICATES_VERIFY_RATE = env.str("CERTIFICATES_VERIFY_RATE", default="30/m")
# The Open Badges issuer profile.
CERTIFICATES_ISSUER_NAME = env.str("CERTIFICATES_ISSUER_NAME", default=BODY_NAME)
CERTIFICATES_ISSUER_EMAIL = env.str("CERTIFICATES_ISSUER_EMAIL", default="certificates@ipma.example")
# Rate-limit counters need atomic increments, which the database cache lacks: they live in Redis.
# Verification fails open (and logs) while Redis is down, see certificates/views.py.
CACHES["ratelimit"] = {
    "BACKEND": "ipma_portal.caches.FailOpenRedisCache",
    "LOCATION": env.str("RATELIMIT_REDIS_URL", default=REDIS_URL),
    "KEY_PREFIX": "ratelimit",
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
RATELIMIT_USE_CACHE = "ratelimit"
# Names the deployed code in the public pages' ETags (ipma_portal/conditional.py); without it, the
# newest modification time of the templates and static files does.
RELEASE = env.str("RELEASE", default="")
# The versions of the reference data each process keeps in memory (ipma_portal/reference_cache.py), and
# how often a process asks Redis for them: a change made in another process shows within this time.
REFERENCE_CACHE_CHECK_SECONDS = env.float("REFERENCE_CACHE_CHECK_SECONDS", default=1.0)
# Public pages kept rendered per process for visitors not signed in (ipma_portal/public_cache.py): at most this
# long (a bound for changes that send no signal), within this much memory per process; 0 seconds keeps nothing.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
PUBLIC_PAGE_CACHE_BYTES = env.int("PUBLIC_PAGE_CACHE_BYTES", default=16 * 1024 * 1024)
CACHES["reference"] = {
    "BACKEND": "ipma_portal.caches.FailOpenRedisCache",
    "LOCATION": env.str("REFERENCE_CACHE_REDIS_URL", default=REDIS_URL),
    "KEY_PREFIX": "reference",
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
# Sessions: the database row is the record, with a copy in Redis read first (one query less on every signed-in
# request). A copy lives at most SESSION_CACHE_MAX_SECONDS, which bounds how long a sign-out made while Redis was
# away can be ignored by a copy that could not be removed (ipma_portal.caches.SessionCache).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
CACHES["sessions"] = {
    "BACKEND": "ipma_portal.caches.SessionCache",
    "LOCATION": env.str("SESSION_REDIS_URL", default=REDIS_URL),
    "KEY_PREFIX": "session",
    "MAX_TIMEOUT": env.int("SESSION_CACHE_MAX_SECONDS", default=300),
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
# A person's dashboard and own lists (hours, invoices, exams, applications), kept rendered per person under versions that
# every change to a row they show bumps (applicants/dashboard.py), and a reviewer's committee lists and records, kept
# under the versions of the tables they read (ipma_portal/table_versions.py): at most this long (a bound for writes
# made outside Django and the passing of time); 0 keeps none.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=120)
CACHES["dashboard"] = {
    "BACKEND": "ipma_portal.caches.FailOpenRedisCache",
    "LOCATION": env.str("DASHBOARD_REDIS_URL", default=REDIS_URL),
    "KEY_PREFIX": "dashboard",
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
# With Redis away, rate-limited pages stay open (unlimited) rather than failing with a 500
# (FailOpenRedisCache turns the outage into a cache miss; django-ratelimit then allows).
RATELIMIT_FAIL_OPEN = True
# accreditation: lapse the applications whose exam eligibility window ended (EXAM_ELIGIBILITY_MONTHS).

# organizations --------------------------------------------------------------------------------
# Reviewers who score each programme application before the committee decides (the issue: two by default).
ORGANIZATIONS_REVIEWERS_PER_APPLICATION = env.int("ORGANIZATIONS_REVIEWERS_PER_APPLICATION", default=2)
# A programme accreditation is valid this many years, like an individual certificate (the sources: 5 years).
ORGANIZATIONS_ACCREDITATION_VALIDITY_YEARS = env.int("ORGANIZATIONS_ACCREDITATION_VALIDITY_YEARS", default=5)
# The sources give no numbers for these: the annual report is due this many days after each accreditation
# year ends, with a reminder this many days before; renewal opens this many days before expiry.
ORGANIZATIONS_ANNUAL_REPORT_DUE_DAYS = env.int("ORGANIZATIONS_ANNUAL_REPORT_DUE_DAYS", default=30)
ORGANIZATIONS_ANNUAL_REPORT_REMINDER_DAYS = env.int("ORGANIZATIONS_ANNUAL_REPORT_REMINDER_DAYS", default=7)
ORGANIZATIONS_RENEWAL_WINDOW_DAYS = env.int("ORGANIZATIONS_RENEWAL_WINDOW_DAYS", default=180)
# Public directory: rows per page, and how many messages one visitor (IP address) may send to mentors.
ORGANIZATIONS_DIRECTORY_PAGE_SIZE = env.int("ORGANIZATIONS_DIRECTORY_PAGE_SIZE", default=20)
ORGANIZATIONS_DIRECTORY_CONTACT_RATE = env.str("ORGANIZATIONS_DIRECTORY_CONTACT_RATE", default="5/h")
# The font the logo kit's PNG is drawn with (Latin and CJK); Pillow's own font when the file is missing.
ORGANIZATIONS_LOGO_FONT = env.str(
    "ORGANIZATIONS_LOGO_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
)

# network, input and privacy ----------------------------------------------------------------------
# Reverse proxies whose X-Forwarded-For is believed: addresses or networks, comma separated
# (e.g. "172.30.0.10" for the compose stack's nginx). Empty: the header is never read and the
# connecting address is the client. See README, "Security: network and data".
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# allauth reads REMOTE_ADDR, which ClientAddressMiddleware has already set to the client: it must
# not walk X-Forwarded-For a second time.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
MIDDLEWARE.insert(0, "ipma_portal.network.ClientAddressMiddleware")
MIDDLEWARE.insert(1, "ipma_portal.bad_input.BadInputMiddleware")
MIDDLEWARE.append("ipma_portal.bad_input.MethodNotAllowedPageMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "ipma_portal.cache_control.PrivateCacheMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "documents.quota.UploaderMiddleware",
)
LOGGING["filters"] = {"client_address": {"()": "ipma_portal.network.ClientAddressLogFilter"}}
LOGGING["handlers"]["console"]["filters"] = ["client_address"]
LOGGING["formatters"]["plain"]["format"] = "%(asctime)s %(levelname)s %(name)s [%(client_address)s] %(message)s"

# Files one request may carry (Django refuses more before reading them), and what one person may
# store in all (bytes, over every registered document model); 0 turns the quota off.
UPLOAD_MAX_FILES_PER_REQUEST = env.int("UPLOAD_MAX_FILES_PER_REQUEST", default=10)
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES_PER_REQUEST
UPLOAD_QUOTA_BYTES_PER_PERSON = env.int("UPLOAD_QUOTA_BYTES_PER_PERSON", default=200 * 1024 * 1024)

# Spreadsheet exports through django-import-export: a leading "=" is not written (documents.csv
# has the full escape for hand-written exports and the SafeCSV format).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# /.well-known/security.txt (RFC 9116): where to report a vulnerability (an e-mail address or a
# URL), and until when the file is valid (ISO date; empty: 180 days from the day it is served).
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="security@ipma.example")
SECURITY_TXT_EXPIRES = env.str("SECURITY_TXT_EXPIRES", default="")
# Where the privacy notice sends questions and requests about personal data.
PRIVACY_CONTACT = env.str("PRIVACY_CONTACT", default="privacy@ipma.example")
# events ---------------------------------------------------------------------------------------
# The sources give no numbers for these. A priced place is held this many hours for its payment;
# a place freed in a full event is offered to the first in line for this many hours; cancelling
# refunds the fee until this many hours before the start; attending this share of an event counts.
EVENTS_UNPAID_RELEASE_HOURS = env.int("EVENTS_UNPAID_RELEASE_HOURS", default=48)
EVENTS_WAITLIST_OFFER_HOURS = env.int("EVENTS_WAITLIST_OFFER_HOURS", default=24)
EVENTS_REFUND_DEADLINE_HOURS = env.int("EVENTS_REFUND_DEADLINE_HOURS", default=7 * 24)
EVENTS_ATTENDANCE_SHARE = env.float("EVENTS_ATTENDANCE_SHARE", default=0.75)
# insights -------------------------------------------------------------------------------------
# The sources give no numbers: the committee's target from submission to its decision, when an open
# invoice counts as overdue, and the smallest count the public numbers page prints ("fewer than 5").
INSIGHTS_DECISION_TARGET_DAYS = env.int("INSIGHTS_DECISION_TARGET_DAYS", default=30)
INSIGHTS_INVOICE_OVERDUE_DAYS = env.int("INSIGHTS_INVOICE_OVERDUE_DAYS", default=30)
INSIGHTS_PUBLIC_MINIMUM_COUNT = env.int("INSIGHTS_PUBLIC_MINIMUM_COUNT", default=5)
# The committee's figures are kept this many seconds per filter and language (0: computed on every view).
INSIGHTS_CACHE_SECONDS = env.int("INSIGHTS_CACHE_SECONDS", default=300)
# The public numbers page's counts and fragment are kept this long at most (a saved row shows at once).
INSIGHTS_PUBLIC_CACHE_SECONDS = env.int("INSIGHTS_PUBLIC_CACHE_SECONDS", default=600)
# content and publications ---------------------------------------------------------------------
# "The Board of Directors ranges in size from 10 to 15 members, but can include as many as twenty."
CONTENT_BOARD_MAX_MEMBERS = env.int("CONTENT_BOARD_MAX_MEMBERS", default=20)
# Where each topic of the contact form goes; the fast track's address is the one the source documents give.
CONTENT_CONTACT_ADDRESSES = env.json("CONTENT_CONTACT_ADDRESSES", default={
    "accreditation": "accreditation@ipma.example",
    "exams": "exams@ipma.example",
    "qtsps": "partners@ipma.example",
    "organizations": "organizations@ipma.example",
    "fasttrack": "sm-fasttrack@ipmaglobal.org",
    "other": "info@ipma.example",
})
# Contact messages one visitor (IP address) may send (django-ratelimit rate).
CONTENT_CONTACT_RATE = env.str("CONTENT_CONTACT_RATE", default="5/h")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("content.context_processors.menus")
# The newsletter: confirmation links work this many days; a mailing goes into the outbox in batches of this size
# (each batch one transaction, with a constant number of queries); subscription requests per visitor (IP address).
PUBLICATIONS_NEWSLETTER_CONFIRM_DAYS = env.int("PUBLICATIONS_NEWSLETTER_CONFIRM_DAYS", default=7)
PUBLICATIONS_MAILING_BATCH_SIZE = env.int("PUBLICATIONS_MAILING_BATCH_SIZE", default=1000)
PUBLICATIONS_SUBSCRIBE_RATE = env.str("PUBLICATIONS_SUBSCRIBE_RATE", default="10/h")

# Celery beat ------------------------------------------------------------------------------------
# Every periodic job of the portal, in one table. Each is idempotent (unique keys, conditional updates),
# so a job run twice or by two beats at once does no harm; exactly one beat runs all the same.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "notifications.tasks.outbox_sweep", "schedule": 60.0},
    "outbox-purge-sent": {"task": "notifications.tasks.outbox_purge_sent_bodies", "schedule": 3600.0},
    "exams-booking-reminders": {"task": "exams.tasks.booking_reminders", "schedule": 15 * 60.0},
    "exams-waitlist-offers": {"task": "exams.tasks.waitlist_offers", "schedule": 5 * 60.0},
    "exams-release-unpaid": {"task": "exams.tasks.release_unpaid", "schedule": 10 * 60.0},
    "payments-refunds-submit": {"task": "payments.tasks.refunds_submit", "schedule": 10 * 60.0},
    # Sponsors' grouped invoices for the month just ended; hourly, so a missed beat catches up that day.
    "payments-sponsor-invoices": {"task": "payments.tasks.sponsor_invoices", "schedule": 3600.0},
    # Reminders 30 and 7 days before a membership ends; hourly, so a missed beat catches up the same day.
    "payments-membership-reminders": {"task": "payments.tasks.membership_reminders", "schedule": 3600.0},
    "fasttrack-referrals-escalate": {"task": "fasttrack.tasks.referrals_escalate", "schedule": 15 * 60.0},
    # Reminders before a QTSP's approval term ends, and the lapse at its end.
    "partners-approval-terms": {"task": "partners.tasks.approval_terms", "schedule": 3600.0},
    "accreditation-exam-windows-lapse": {"task": "accreditation.tasks.exam_windows_lapse_run", "schedule": 6 * 3600.0},
    "certificates-render-missing": {"task": "certificates.tasks.certificates_render_missing", "schedule": 10 * 60.0},
    "certificates-expire": {"task": "certificates.tasks.certificates_expire", "schedule": 3600.0},
    # The committee insights' default figures computed again before they expire (INSIGHTS_CACHE_SECONDS).
    "insights-figures-warm": {"task": "insights.tasks.figures_warm_defaults",
                              "schedule": max(60.0, INSIGHTS_CACHE_SECONDS * 0.8)},
    "applicants-hours-confirmations-expire": {"task": "applicants.tasks.hours_confirmations_expire", "schedule": 3600.0},
    "certificates-renewal-reminders": {"task": "certificates.tasks.renewal_reminders", "schedule": 3600.0},
    "certificates-membership-upgrade-notices": {"task": "certificates.tasks.membership_upgrade_notices", "schedule": 6 * 3600.0},
    "organizations-housekeeping": {"task": "organizations.tasks.housekeeping", "schedule": 3600.0},
    "events-release-unpaid": {"task": "events.tasks.registrations_release_unpaid", "schedule": 15 * 60.0},
    "events-offers-expire": {"task": "events.tasks.offers_expire", "schedule": 5 * 60.0},
    "events-reminders": {"task": "events.tasks.reminders_send", "schedule": 5 * 60.0},
    "publications-mailings-continue": {"task": "publications.tasks.mailings_continue", "schedule": 5 * 60.0},
}
