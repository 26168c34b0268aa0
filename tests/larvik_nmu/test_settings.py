"""Production settings refuse to start without their secrets, and pass Django's deploy checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "larvik_nmu.settings.production",
    "DJANGO_SECRET_KEY": "x" * 60 + "production-test-key-with-enough-entropy",
    "DJANGO_ALLOWED_HOSTS": "nmu.example.no",
    "DATABASE_URL": "postgres://nmu@127.0.0.1:5432/nmu",
    "EMAIL_URL": "smtp://127.0.0.1:1025",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "EMAIL_URL"])
def test_production_requires_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_passes_deploy_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_settings_values():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.STORAGES['staticfiles']['BACKEND'].startswith('whitenoise'),"
        " s.LOGGING['handlers']['console']['formatter'], s.TIME_ZONE, s.LANGUAGE_CODE)",
        env=PRODUCTION_ENV,
    )
    assert result.stdout.split()[-7:] == [
        "False",
        "True",
        "True",
        "True",
        "json",
        "Europe/Oslo",
        "nb",
    ], result.stderr


# --- EMAIL_URL → MAILERS ------------------------------------------------------------------------
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("url", "use_tls", "use_ssl"),
    [
        ("smtp://", False, False),
        ("smtps://", True, False),
        ("smtp+tls://", True, False),
        ("smtp+ssl://", False, True),
    ],
)
def test_smtp_schemes(url, use_tls, use_ssl):
    from larvik_nmu.settings.mailers import mailers_from_url

    mailers = mailers_from_url(url + "nmu%40larvik.no:hemm%2Flig@mail.example.no:587?timeout=30")
    assert mailers == {
        "default": {
            "BACKEND": SMTP,
            "OPTIONS": {
                "host": "mail.example.no",
                "port": 587,
                "username": "nmu@larvik.no",
                "password": "hemm/lig",
                "use_tls": use_tls,
                "use_ssl": use_ssl,
                "timeout": 30,
            },
        }
    }


@pytest.mark.parametrize(
    ("url", "mailer"),
    [
        ("consolemail://", {"BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("memorymail://", {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        ("dummymail://", {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}),
        (
            "filemail:///var/spool/nmu",
            {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": "/var/spool/nmu"},
            },
        ),
        (
            "filemail://.mail",
            {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": ".mail"},
            },
        ),
    ],
)
def test_other_schemes(url, mailer):
    from larvik_nmu.settings.mailers import mailers_from_url

    assert mailers_from_url(url) == {"default": mailer}


def test_every_scheme_django_environ_accepts_is_mapped():
    import environ

    from larvik_nmu.settings.mailers import SCHEMES

    assert sorted(SCHEMES) == sorted(environ.Env.EMAIL_SCHEMES)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("submission+tls://u:secret@mail:587", "scheme 'submission+tls', which is not known"),
        ("smtp://u:secret@:587", "smtp:// names no host"),
        ("smtp://u:secret@mail:port", "port that is not a number"),
        ("smtp://u:secret@mail?timeout=soon", "timeout must be a number"),
        ("smtp://u:secret@mail?use_tls=1", "option 'use_tls', which is not known"),
        ("filemail://", "filemail:// names no folder"),
    ],
)
def test_bad_email_urls_are_refused_without_echoing_the_password(url, message):
    from django.core.exceptions import ImproperlyConfigured

    from larvik_nmu.settings.mailers import mailers_from_url

    with pytest.raises(ImproperlyConfigured, match=re.escape(message)) as error:
        mailers_from_url(url)
    assert "secret" not in str(error.value)


def test_the_unknown_scheme_message_names_the_accepted_ones():
    from django.core.exceptions import ImproperlyConfigured

    from larvik_nmu.settings.mailers import SCHEMES, mailers_from_url

    with pytest.raises(ImproperlyConfigured) as error:
        mailers_from_url("smtp-tls://mail")
    assert all(f"{scheme}://" in str(error.value) for scheme in SCHEMES)


@pytest.mark.parametrize(
    ("email_url", "backend"),
    [
        ("consolemail://", "console"),
        ("filemail://{tmp_path}", "filebased"),
        ("smtp+ssl://mail.example.no", "smtp"),
    ],
)
def test_each_working_scheme_builds_its_mailer_under_production_settings(
    email_url, backend, tmp_path
):
    """The mailer is really constructed (Django checks its OPTIONS only then)."""
    email_url = email_url.format(tmp_path=tmp_path)
    result = _manage(
        "shell",
        "-c",
        "from django.core import mail; m = mail.mailers.default;"
        "print(type(m).__module__, getattr(m, 'port', '-'))",
        env={**PRODUCTION_ENV, "EMAIL_URL": email_url},
    )
    assert result.returncode == 0, result.stderr
    module, port = result.stdout.split()[-2:]
    assert module == f"django.core.mail.backends.{backend}"
    if backend == "smtp":
        assert port == "465"


@pytest.mark.parametrize(
    ("email_url", "message"),
    [
        (
            "consolemial://",
            "EMAIL_URL has the scheme 'consolemial', which is not known. Use one of",
        ),
        ("smtp://:1025", "EMAIL_URL smtp:// names no host"),
        ("dummymail://", "EMAIL_URL dummymail:// keeps no e-mail"),
        ("memorymail://", "EMAIL_URL memorymail:// keeps no e-mail"),
    ],
)
def test_a_bad_email_url_stops_the_start_up_with_a_clear_message(email_url, message):
    result = _manage("check", env={**PRODUCTION_ENV, "EMAIL_URL": email_url})
    assert result.returncode != 0
    assert message in result.stderr
