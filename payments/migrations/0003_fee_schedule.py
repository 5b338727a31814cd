"""The fee schedule as the accrediting body publishes it (DESIGN.md, "Facts from the source documents").

Accreditation fee member / non-member and exam fee per level, the USD 100 permanent membership
upgrade; the programme accreditation and renewal fees have no published price and come from
settings with a stated default. Staff change prices later by adding rows with a later date.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import migrations

EFFECTIVE_FROM = datetime.date(2024, 1, 1)

# level: (member, non-member, exam), USD
LEVEL_FEES = {
    "AM": ("99", "299", "31"),
    "PM": ("139", "399", "31"),
    "SM": ("299", "599", "131"),
    "MM": ("499", "799", "331"),
}


def add_fees(apps, schema_editor):
    Fee = apps.get_model("payments", "Fee")
    Level = apps.get_model("accreditation", "Level")
    for code, (member, non_member, exam) in LEVEL_FEES.items():
        level = Level.objects.get(code=code)
        for kind, amount in (
            ("accreditation_member", member), ("accreditation_non_member", non_member), ("exam", exam),
        ):
            Fee.objects.update_or_create(
                kind=kind, level=level, effective_from=EFFECTIVE_FROM, defaults={"amount": Decimal(amount)}
            )
    for kind, amount in (
        ("membership_upgrade", "100"),
        ("programme_accreditation", settings.PAYMENTS_PROGRAMME_ACCREDITATION_FEE),
        ("renewal", settings.PAYMENTS_RENEWAL_FEE),
    ):
        Fee.objects.update_or_create(
            kind=kind, level=None, effective_from=EFFECTIVE_FROM, defaults={"amount": Decimal(amount)}
        )


def remove_fees(apps, schema_editor):
    apps.get_model("payments", "Fee").objects.filter(effective_from=EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_invoice_number_sequence"), ("accreditation", "0002_levels")]
    operations = [migrations.RunPython(add_fees, remove_fees)]
