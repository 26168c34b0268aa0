"""Production settings refuse to start without their secrets, and pass Django's deploy checks."""

import os
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
