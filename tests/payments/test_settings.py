"""The demo provider: on in local.py, off by default, and production refuses to start with it."""

import os
import subprocess
import sys

from django.conf import settings

from ipma_portal.settings.base import BASE_DIR

PRINT_FLAG = "from django.conf import settings; print('demo', settings.PAYMENTS_DEMO_PROVIDER)"


def run_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("PAYMENTS_", "DJANGO_", "STRIPE_", "IPMA_EMBEDDED_", "MFA_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE=module,
        DATABASE_URL=settings.DATABASE_URL,
        REDIS_URL=settings.REDIS_URL,
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PRINT_FLAG}"],
        cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120,
    )


PRODUCTION = {
    "SECRET_KEY": "a-real-looking-production-secret-key-0123456789", "ALLOWED_HOSTS": "portal.example",
    "MFA_ENCRYPTION_KEY": "a-real-looking-mfa-encryption-key-0123456789",
}


def test_production_refuses_to_start_with_the_demo_provider():
    result = run_settings("ipma_portal.settings.production", PAYMENTS_DEMO_PROVIDER="true", **PRODUCTION)

    assert result.returncode != 0
    assert "PAYMENTS_DEMO_PROVIDER must be off in production" in result.stderr


def test_production_starts_without_the_demo_provider():
    result = run_settings("ipma_portal.settings.production", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "demo False" in result.stdout


def test_local_configuration_enables_the_demo_provider():
    result = run_settings("ipma_portal.settings.local")

    assert result.returncode == 0, result.stderr
    assert "demo True" in result.stdout


def test_demo_provider_off_unless_a_configuration_turns_it_on():
    result = run_settings("ipma_portal.settings.base", SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert "demo False" in result.stdout
