"""Demo data for `make run`: the demo applicant is a member with a paid receipt and may try the upgrade."""

import datetime

from django.conf import settings
from django.db import transaction

from applicants.demo import DEMO_USERS, demo_user
from payments.models import InvoiceKind, MemberGroup, MembershipPeriod
from payments.providers import DemoProvider
from payments.selectors import membership_status, schedule_date
from payments.services import membership_purchase, payment_record

APPLICANT_EMAIL = "applicant@ipma.example"


@transaction.atomic
def seed(stdout) -> None:
    email, full_name, group, is_staff, is_superuser = next(row for row in DEMO_USERS if row[0] == APPLICANT_EMAIL)
    applicant = demo_user(email, full_name, group, is_staff=is_staff, is_superuser=is_superuser)
    today = schedule_date()
    # Five years of earlier membership, so the permanent upgrade (after 5 years) can be tried.
    earlier_start = today.replace(year=today.year - 6, day=1)
    MembershipPeriod.objects.get_or_create(
        user=applicant, plan="five-year", invoice=None,
        defaults={
            "starts_on": earlier_start, "ends_on": today - datetime.timedelta(days=1),
            "group": MemberGroup.MENTOR_COACH_MENTEE,
        },
    )
    if not applicant.invoices.filter(kind=InvoiceKind.MEMBERSHIP).exists():
        # Paid through the same path a provider's confirmation takes, so the receipt and period are real.
        invoice = membership_purchase(user=applicant, plan_code="annual", group=MemberGroup.MENTOR_COACH_MENTEE)
        payment_record(DemoProvider().payment_notice(invoice=invoice), actor=applicant)
    status = membership_status(user=applicant)
    stdout.write(
        f"Payments: {APPLICANT_EMAIL} is a member ({status.years:.1f} years; permanent upgrade "
        f"{'available' if status.upgrade_allowed else 'not available'} at /membership/), with a paid receipt "
        "under /invoices/. Fees at /fees/."
    )
    if settings.PAYMENTS_DEMO_PROVIDER:
        stdout.write("  The demo payment provider is on: invoices can be paid offline, no money moves.")
