"""EMAIL_URL → Django 6.1 ``MAILERS``. A helper of the settings, not a settings module.

django-environ's ``email_url_config`` returns the old ``EMAIL_*`` settings, which Django 6.1
refuses beside ``MAILERS``, and it turns every scheme into a host and port: ``consolemail://``
became an SMTP mailer with host ``None`` that failed only when the first e-mail was sent. Here
each scheme django-environ accepts maps to its mailer, and anything else stops the start-up with
a message that says what to write instead (never echoing the URL: it may hold a password).
https://docs.djangoproject.com/en/6.1/topics/email/#configuring-email
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = "django.core.mail.backends"
SMTP_SCHEMES = {
    # scheme: (use_tls, use_ssl), as django-environ reads them ("smtps" is STARTTLS there).
    "smtp": (False, False),
    "smtps": (True, False),
    "smtp+tls": (True, False),
    "smtp+ssl": (False, True),
}
OTHER_SCHEMES = {
    "consolemail": f"{BACKENDS}.console.EmailBackend",
    "filemail": f"{BACKENDS}.filebased.EmailBackend",
    "memorymail": f"{BACKENDS}.locmem.EmailBackend",
    "dummymail": f"{BACKENDS}.dummy.EmailBackend",
}
SCHEMES = (*SMTP_SCHEMES, *OTHER_SCHEMES)
# Schemes that keep no e-mail anywhere: production refuses them (production.py).
DISCARDING_SCHEMES = ("memorymail", "dummymail")
SMTP_QUERY_OPTIONS = {"timeout": int, "ssl_certfile": str, "ssl_keyfile": str}
SMTP_TIMEOUT_SECONDS = 20


def email_url_scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()


def mailers_from_url(url: str) -> dict:
    """The ``MAILERS`` setting for an EMAIL_URL, or ImproperlyConfigured saying what is wrong.

    smtp://user:password@host:port (smtps:// and smtp+tls:// use STARTTLS, smtp+ssl:// TLS from
    the start; ``?timeout=30``), consolemail://, filemail://folder (everything after ``//`` is
    the folder: filemail:///var/mail or filemail://.mail), memorymail://, dummymail://.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in SMTP_SCHEMES:
        return {"default": _smtp_mailer(parts, *SMTP_SCHEMES[scheme])}
    if scheme not in OTHER_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL has the scheme {scheme!r}, which is not known. Use one of "
            f"{', '.join(s + '://' for s in SCHEMES)} (e.g. smtp+tls://user:password@host:587)."
        )
    mailer = {"BACKEND": OTHER_SCHEMES[scheme]}
    if scheme == "filemail":
        folder = unquote(parts.netloc + parts.path)
        if not folder:
            raise ImproperlyConfigured(
                "EMAIL_URL filemail:// names no folder: write filemail:///absolute/folder or "
                "filemail://relative-folder."
            )
        mailer["OPTIONS"] = {"file_path": folder}
    return {"default": mailer}


def _smtp_mailer(parts, use_tls: bool, use_ssl: bool) -> dict:
    if not parts.hostname:
        raise ImproperlyConfigured(
            f"EMAIL_URL {parts.scheme}:// names no host: write "
            f"{parts.scheme}://user:password@host:port."
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    options = {
        "host": parts.hostname,
        # None: Django picks 25, 587 (STARTTLS) or 465 (TLS).
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": use_tls,
        "use_ssl": use_ssl,
        "timeout": SMTP_TIMEOUT_SECONDS,
    }
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        cast = SMTP_QUERY_OPTIONS.get(name.lower())
        if cast is None:
            raise ImproperlyConfigured(
                f"EMAIL_URL has the option {name!r}, which is not known. Known options: "
                f"{', '.join(SMTP_QUERY_OPTIONS)}."
            )
        try:
            options[name.lower()] = cast(value)
        except ValueError:
            raise ImproperlyConfigured(f"EMAIL_URL's {name} must be a number.") from None
    return {"BACKEND": f"{BACKENDS}.smtp.EmailBackend", "OPTIONS": options}
