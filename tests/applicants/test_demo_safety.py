"""Demo accounts never reach production: seed_demo refuses there, and the published demo password and
TOTP secret exist only in the local and test settings."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command

from applicants.adapters import mfa_unseal
from applicants.demo import demo_user
from tests.conftest import totp_code
from tests.test_deploy import _manage, _production_env

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_under_production_settings():
    result = _manage("seed_demo", **_production_env())

    assert result.returncode != 0
    assert "seed_demo refuses to run under production settings" in result.stderr


def test_production_refuses_to_start_without_an_mfa_encryption_key():
    env = _production_env()
    del env["MFA_ENCRYPTION_KEY"]

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY" in result.stderr


@pytest.mark.parametrize("setting", ["DEMO_PASSWORD", "DEMO_TOTP_SECRET"])
def test_seed_demo_refuses_without_the_demo_secrets_in_settings(settings, setting):
    delattr(settings, setting)

    with pytest.raises(CommandError, match="DEMO_PASSWORD and DEMO_TOTP_SECRET"):
        call_command("seed_demo")


def test_demo_staff_get_the_settings_password_and_an_encrypted_totp(settings):
    settings.DEMO_PASSWORD = "another-demo-password"
    settings.DEMO_TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

    staff = demo_user("demo.staff@ipma.example", "Demo Staff", None, is_staff=True)

    authenticator = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    assert staff.check_password("another-demo-password")
    assert settings.DEMO_TOTP_SECRET not in authenticator.data["secret"]
    assert mfa_unseal(authenticator.data["secret"]) == settings.DEMO_TOTP_SECRET
    assert TOTP(authenticator).validate_code(totp_code(settings.DEMO_TOTP_SECRET))


def test_demo_totp_prints_the_code_of_the_settings_secret(settings, capsys):
    settings.DEMO_TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

    call_command("demo_totp")

    assert capsys.readouterr().out.strip() == totp_code(settings.DEMO_TOTP_SECRET)
