"""Encrypt the TOTP secrets and recovery-code seeds stored before MFAAdapter encrypted them.

Idempotent: a sealed value is left as it is. Reversible: unsealing writes them back in the clear.
"""

from django.db import migrations

SECRET_FIELDS = {"totp": ["secret"], "recovery_codes": ["seed"]}


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=SECRET_FIELDS):
        data = dict(authenticator.data)
        for field in SECRET_FIELDS[authenticator.type]:
            if field in data:
                data[field] = convert(data[field])
        if "migrated_codes" in data:
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def seal(apps, schema_editor):
    from applicants.adapters import mfa_seal

    _convert(apps, mfa_seal)


def unseal(apps, schema_editor):
    from applicants.adapters import mfa_unseal

    _convert(apps, mfa_unseal)


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0003_profile_hours_ethics"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal, unseal)]
