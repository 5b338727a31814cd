import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import Level
from payments.models import Fee, FeeKind, InvoiceKind
from payments.selectors import fee_in_effect, fee_table, schedule_date
from payments.services import invoice_raise
from tests.factories import ApplicantFactory
from tests.payments.factories import MembershipPeriodFactory

pytestmark = pytest.mark.django_db

# DESIGN.md, "Facts from the source documents": member / non-member accreditation fee, exam fee.
PUBLISHED = {
    "AM": (Decimal("99"), Decimal("299"), Decimal("31")),
    "PM": (Decimal("139"), Decimal("399"), Decimal("31")),
    "SM": (Decimal("299"), Decimal("599"), Decimal("131")),
    "MM": (Decimal("499"), Decimal("799"), Decimal("331")),
}


def test_fee_schedule_migration_holds_the_published_fees():
    table = fee_table()

    assert [(row.level_code, row.member, row.non_member, row.exam) for row in table] == [
        (code, *fees) for code, fees in PUBLISHED.items()
    ]
    assert table.membership_upgrade == Decimal("100")


def test_fee_schedule_has_setting_backed_rows_with_stated_defaults():
    table = fee_table()

    assert table.programme_accreditation == Decimal("1000.00")
    assert table.renewal == Decimal("99.00")


def test_fee_table_queries_are_constant(django_assert_num_queries):
    with django_assert_num_queries(2):
        fee_table()


@pytest.mark.parametrize("level_code", list(PUBLISHED))
def test_accreditation_invoice_at_member_price_when_membership_active(level_code):
    member = MembershipPeriodFactory().user

    invoice = invoice_raise(payer=member, kind="accreditation", reference="application:1", level_code=level_code)

    assert invoice.amount == PUBLISHED[level_code][0]
    assert invoice.member_pricing is True
    assert invoice.level.code == level_code


@pytest.mark.parametrize("level_code", list(PUBLISHED))
def test_accreditation_invoice_at_non_member_price_without_membership(level_code):
    invoice = invoice_raise(
        payer=ApplicantFactory(), kind="accreditation", reference="application:1", level_code=level_code
    )

    assert invoice.amount == PUBLISHED[level_code][1]
    assert invoice.member_pricing is False


@pytest.mark.parametrize("level_code", list(PUBLISHED))
@pytest.mark.parametrize("kind", ["exam", "exam_retake"])
def test_exam_invoice_at_the_exam_fee_of_the_level(level_code, kind):
    invoice = invoice_raise(payer=ApplicantFactory(), kind=kind, reference="booking:1", level_code=level_code)

    assert invoice.amount == PUBLISHED[level_code][2]


def test_membership_that_ended_yesterday_gives_non_member_price():
    today = schedule_date()
    lapsed = MembershipPeriodFactory(starts_on=today - datetime.timedelta(days=365), ends_on=today - datetime.timedelta(days=1))

    invoice = invoice_raise(payer=lapsed.user, kind="accreditation", reference="application:2", level_code="PM")

    assert invoice.amount == Decimal("399")


def test_membership_starting_tomorrow_gives_non_member_price_today():
    future = MembershipPeriodFactory(starts_on=schedule_date() + datetime.timedelta(days=1))

    invoice = invoice_raise(payer=future.user, kind="accreditation", reference="application:3", level_code="PM")

    assert invoice.amount == Decimal("399")


def test_permanent_membership_gives_member_price():
    permanent = MembershipPeriodFactory(plan="permanent", starts_on=datetime.date(2020, 1, 1), ends_on=None)

    invoice = invoice_raise(payer=permanent.user, kind="accreditation", reference="application:4", level_code="SM")

    assert invoice.amount == Decimal("299")


def test_fee_change_applies_from_its_effective_date():
    sm = Level.objects.get(code="SM")
    Fee.objects.create(kind=FeeKind.EXAM, level=sm, amount=Decimal("150"), effective_from=datetime.date(2031, 3, 1))

    with time_machine.travel(datetime.datetime(2031, 2, 28, 23, 59, tzinfo=datetime.UTC)):
        before = invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:10", level_code="SM")
    with time_machine.travel(datetime.datetime(2031, 3, 1, 0, 1, tzinfo=datetime.UTC)):
        after = invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:11", level_code="SM")
        table = fee_table()

    assert before.amount == Decimal("131")
    assert after.amount == Decimal("150")
    assert [row.exam for row in table if row.level_code == "SM"] == [Decimal("150")]


def test_invoice_keeps_its_price_when_the_fee_changes_later():
    invoice = invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:12", level_code="AM")
    Fee.objects.create(
        kind=FeeKind.EXAM, level=Level.objects.get(code="AM"), amount=Decimal("45"),
        effective_from=schedule_date() + datetime.timedelta(days=1),
    )

    invoice.refresh_from_db()

    assert invoice.amount == Decimal("31")
    assert invoice.lines.get().unit_amount == Decimal("31")


def test_invoice_priced_from_the_kept_schedule_without_reading_fees_or_levels():
    invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:13", level_code="AM")
    payer = ApplicantFactory()

    with CaptureQueriesContext(connection) as queries:
        invoice = invoice_raise(payer=payer, kind="exam", reference="booking:14", level_code="AM")

    assert invoice.amount == Decimal("31") and invoice.level.code == "AM"
    assert not [query for query in queries if '"payments_fee"' in query["sql"] or 'FROM "accreditation_level"' in query["sql"]]


def test_fee_saved_today_prices_the_next_invoice_at_once():
    invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:15", level_code="AM")
    fee = Fee.objects.filter(kind=FeeKind.EXAM, level__code="AM").order_by("-effective_from").first()
    fee.amount = Decimal("33")
    fee.save()

    invoice = invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:16", level_code="AM")

    assert invoice.amount == Decimal("33")


def test_invoice_for_an_unknown_level_is_refused():
    with pytest.raises(ValidationError, match="Unknown level XX"):
        invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:17", level_code="XX")


def test_fee_in_effect_none_before_the_schedule_starts():
    assert fee_in_effect(kind=FeeKind.EXAM, level_code="AM", on=datetime.date(2023, 12, 31)) is None


def test_fee_per_level_requires_a_level_in_the_database():
    with pytest.raises(IntegrityError):
        Fee.objects.create(kind=FeeKind.EXAM, level=None, amount=Decimal("1"), effective_from=datetime.date(2030, 1, 1))


def test_fee_one_price_per_kind_level_and_day_even_without_level():
    with pytest.raises(IntegrityError):
        Fee.objects.create(
            kind=FeeKind.MEMBERSHIP_UPGRADE, level=None, amount=Decimal("1"), effective_from=datetime.date(2024, 1, 1)
        )


def test_fees_page_shows_one_row_per_level_with_member_non_member_and_exam(client):
    response = client.get(reverse("payments:fees"))

    assert response.status_code == 200
    rows = response.context["table"].rows
    assert [row.level_code for row in rows] == ["AM", "PM", "SM", "MM"]
    content = response.content.decode()
    for member, non_member, exam in PUBLISHED.values():
        assert f"USD {member}.00" in content and f"USD {non_member}.00" in content and f"USD {exam}.00" in content
    assert "USD 100.00" in content


def test_fees_page_linked_from_public_nav(client):
    response = client.get(reverse("home"))

    assert f'href="{reverse("payments:fees")}"' in response.content.decode()


def test_programme_accreditation_and_renewal_invoices_priced_from_schedule():
    payer = ApplicantFactory()

    programme = invoice_raise(payer=payer, kind=InvoiceKind.PROGRAMME_ACCREDITATION, reference="programme:1")
    renewal = invoice_raise(payer=payer, kind=InvoiceKind.RENEWAL, reference="certificate:1", level_code="PM")

    assert programme.amount == Decimal("1000.00")
    assert renewal.amount == Decimal("99.00")
    assert renewal.level.code == "PM"
