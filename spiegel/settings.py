"""Spiegel settings, read from the environment with safe defaults for local use.

Production sets at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; everything else has a
default that is safe (DEBUG off, secure cookies off only when DEBUG is on).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# The fallback key only exists so a fresh clone starts; `check --deploy` flags it in production.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-development-key-change-me"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# "U zei, wij deden": how long a client's personal link to the actions of their session works
# (a new link can be issued after it), and how many earlier sessions the terugblik looks at.
FOLLOW_LINK_DAYS = envint("FOLLOW_LINK_DAYS", 365)
LOOKBACK_SESSIONS = envint("LOOKBACK_SESSIONS", 5)

INSTALLED_APPS = [
    "participants",
    "sessions",
    "findings",
    "workshops",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_tasks_db",
    # Sign-in: passwords, reset and change by e-mail, TOTP, rate limits, OpenID Connect.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "spiegel.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "spiegel.middleware.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "participants.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After WhiteNoise, so static files stay cacheable; every other answer: no-store.
    "spiegel.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "spiegel.urls"
WSGI_APPLICATION = "spiegel.wsgi.application"

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
            ],
            "libraries": {
                "spiegel_page": "spiegel.templatetags.spiegel_page",
                "breadcrumbs": "spiegel.templatetags.breadcrumbs",
                "spiegel_dates": "spiegel.templatetags.spiegel_dates",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # For `make run`: the task worker writes beside the web server. WAL lets readers go on
    # while one writes, a writer waits up to 5 s for another instead of failing with
    # "database is locked", and IMMEDIATE takes the write lock when a transaction begins, so
    # a transaction that read first cannot fail on its first write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        timeout=5,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "participants.User"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "account_login"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Logging in by e-mail address as well as by username.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
# Staff pages speak LANGUAGES only (the locale middleware offers nothing else). What clients
# (panel members, no account) read — their invitation, the evaluation form, the feedback
# letter, the "U zei, wij deden" page — may also be in CLIENT_LANGUAGES, chosen per member and
# activated around the rendering (spiegel/languages.py; docs/languages.md).
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
CLIENT_LANGUAGES = [*LANGUAGES, ("tr", _("Turks")), ("ar", _("Arabisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The house formats of dates and times (spiegel/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["spiegel.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or envbool("SPIEGEL_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# — Sign-in (django-allauth; docs/decisions.md "Sign-in") —
# Accounts are invited, never made by signing up; users log in with their username or e-mail.
ACCOUNT_ADAPTER = "participants.signin.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "participants.signin.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "participants.signin.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# A password reset for an address without an account sends nothing (no mail to strangers).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = True  # the session lasts SESSION_COOKIE_AGE, as before
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing the password or e-mail address asks for the password (and code) again when the
# login is more than a few minutes old, and the old address hears about it: a session left
# open on a shared computer cannot quietly take the account over.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Spiegel: "
# Links in mails and the single sign-on callback: https, as SECURE_SSL_REDIRECT, unless DEBUG.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get(
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http" if DEBUG else "https"
)
# Lockout: SIGNIN_MAX_FAILURES wrong passwords or codes for one account, or
# SIGNIN_MAX_FAILURES_PER_IP from one address, within SIGNIN_LOCKOUT_MINUTES refuse every
# further try until the oldest failure is that old. A password reset lifts an account's lock.
SIGNIN_LOCKOUT_MINUTES = envint("SIGNIN_LOCKOUT_MINUTES", 15)
# The client's address for the per-address limit and the log: behind the load balancer
# (BEHIND_TLS_PROXY) the last X-Forwarded-For entry, the one the balancer appended; set
# TRUSTED_PROXY_COUNT to the number of proxies in front when there are more.
ALLAUTH_TRUSTED_PROXY_COUNT = envint(
    "TRUSTED_PROXY_COUNT", 1 if envbool("BEHIND_TLS_PROXY", True) else 0
)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{envint('SIGNIN_MAX_FAILURES_PER_IP', 30)}/{SIGNIN_LOCKOUT_MINUTES}m/ip,"
        f"{envint('SIGNIN_MAX_FAILURES', 5)}/{SIGNIN_LOCKOUT_MINUTES}m/key"
    ),
}
# The second factor: TOTP (an authenticator app) with recovery codes. It is required for
# everyone who can see client contact details (participants.security.requires_mfa);
# SPIEGEL_REQUIRE_MFA=0 switches the requirement off (the tests of other features, a local
# demo), never in production.
SPIEGEL_REQUIRE_MFA = envbool("SPIEGEL_REQUIRE_MFA", True)
MFA_ADAPTER = "participants.signin.MFAAdapter"
MFA_FORMS = {"authenticate": "participants.signin.SecondFactorForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Spiegel"
MFA_TOTP_TOLERANCE = 1  # one period either side: phones whose clock is a little off
# Single sign-on with the organisation's identity provider (OpenID Connect: Entra ID,
# Keycloak, …), when OIDC_SERVER_URL is set. It only signs in people who already have an
# account with the same e-mail address; it never creates accounts (participants.signin).
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": os.environ.get("OIDC_PROVIDER_ID", "sso"),
                    "name": os.environ.get("OIDC_NAME", "uw organisatie"),
                    "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                    "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                    "settings": {"server_url": os.environ["OIDC_SERVER_URL"]},
                }
            ]
            if os.environ.get("OIDC_SERVER_URL")
            else []
        ),
    }
}
# Addresses from the identity provider count as verified only when it says so
# (email_verified), unless the installation trusts its own tenant's addresses (Entra ID does
# not send email_verified; the tenant's administrators own every address in it).
OIDC_TRUST_EMAIL = envbool("OIDC_TRUST_EMAIL", False)
# Where the sign-in form may send the browser (CSP form-action): the identity provider.
OIDC_ORIGINS = [
    "{0.scheme}://{0.netloc}".format(urlsplit(url))
    for url in envlist("OIDC_SERVER_URL") + envlist("OIDC_EXTRA_ORIGINS")
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# No inline scripts or styles anywhere, no third-party origins: every asset is our own.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    # The single sign-on button posts to us and is sent on to the identity provider.
    "form-action": [CSP.SELF, *OIDC_ORIGINS],
    "frame-ancestors": [CSP.NONE],
}

# Security headers; the secure-cookie and HTTPS settings follow DEBUG so local use works on
# plain http while production passes `check --deploy` without warnings.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", True) else None
)
# A sign-in lasts at most a working day, and ends after half an hour without a request.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Spiegel <spiegel@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", False),
            },
        }
        if os.environ.get("EMAIL_HOST")
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}

# Shared by every web process: the sign-in rate limits (lockout) and used TOTP codes live
# here, so they hold across processes and restarts. The table is made by `migrate`
# (participants' post_migrate runs createcachetable).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "spiegel_cache",
    },
    # The coordinators' insights, per organisation, period and the organisation's latest change
    # (findings.services.insights, findings.changes): counts, theme names and the titles of
    # the sessions a theme returned in. A table of its own, so culling it never drops a sign-in
    # rate limit. An answer is never found again once its organisation changes; the timeout
    # removes it from the table within the hour.
    "insights": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "spiegel_insights_cache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # What one process may keep for a short while and lose at any time, with nothing to
    # invalidate: the action filter's organisations per user (findings.filters, which says
    # for how long). In memory, so a hit costs no query; each gunicorn worker and the task
    # worker has its own.
    "worker": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "spiegel-worker",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools report every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Failed sign-ins, lockouts and refused single sign-ons (participants.signin).
        "spiegel.signin": {"level": "INFO"},
    },
}
