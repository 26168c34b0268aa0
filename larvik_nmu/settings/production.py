"""Production: every secret comes from the environment, with no default; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL, LOGGING, SECRET_KEY, TRUSTED_PROXY_COUNT
from .mailers import DISCARDING_SCHEMES, email_url_scheme

for _name, _value in {
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "DJANGO_ALLOWED_HOSTS": ALLOWED_HOSTS,
    "DATABASE_URL": DATABASE_URL,
    "EMAIL_URL": EMAIL_URL,
}.items():
    if not _value:
        raise ImproperlyConfigured(f"{_name} must be set in production.")
# Sign-up and password-reset e-mails must reach people: a mailer that keeps nothing is a mistake.
if email_url_scheme(EMAIL_URL) in DISCARDING_SCHEMES:
    raise ImproperlyConfigured(
        f"EMAIL_URL {email_url_scheme(EMAIL_URL)}:// keeps no e-mail; production needs smtp://, "
        "smtp+tls://, smtp+ssl://, consolemail:// or filemail://."
    )

DEBUG = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Staff reach the admin only with a second factor (users/mfa.py).
STAFF_MFA_REQUIRED = True
# Behind one reverse proxy (it terminates TLS and sets X-Forwarded-Proto, above) unless
# DJANGO_TRUSTED_PROXY_COUNT says how many: the rate limits then see the client, not the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if TRUSTED_PROXY_COUNT is None else TRUSTED_PROXY_COUNT

# JSON logs to stdout for the log collector.
LOGGING = {
    **LOGGING,
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
}
