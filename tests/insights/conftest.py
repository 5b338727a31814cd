import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accreditation.models import Level, LevelApplication
from applicants.models import Profile
from exams.models import Booking, ExamResult
from insights.figures.base import Filters
from payments.models import Invoice


def in_country(user, country: str):
    Profile.objects.update_or_create(user=user, defaults={"country": country})
    return user


_numbers = iter(range(1, 10**6))


def application(applicant, level_code="AM", *, status="draft", days_ago=10, submitted_days=None,
                decided_days=None, accepted_days=None) -> LevelApplication:
    now = timezone.now()
    created = now - datetime.timedelta(days=days_ago)
    def at(days):
        return (None if days is None else created + datetime.timedelta(days=days))
    return LevelApplication.objects.create(
        number=f"T-{next(_numbers)}", applicant=applicant, level=Level.objects.get(code=level_code), status=status,
        created_at=created, submitted_at=at(submitted_days),
        rejection_reason="Not enough evidence" if status == "rejected" else "", decided_at=at(decided_days), accepted_at=at(accepted_days),
    )


def exam_result(session, candidate, *, level_code="AM", passed=True, status="attended") -> Booking:
    booking = Booking.objects.create(candidate=candidate, session=session, window=session.window,
                                     level=Level.objects.get(code=level_code), status=status)
    if status == "attended":
        ExamResult.objects.create(booking=booking, total_score=Decimal("80" if passed else "40"),
                                  pass_mark=Decimal("65"), passed=passed)
    return booking


def invoice(payer, *, kind="exam", amount="31.00", status="open", created_days_ago=0, paid_at=None,
            provider="") -> Invoice:
    created = timezone.now() - datetime.timedelta(days=created_days_ago)
    return Invoice.objects.create(number=f"INV-T-{next(_numbers)}", payer=payer, kind=kind, reference=f"ref-{next(_numbers)}",
                                  amount=Decimal(amount), currency="USD", status=status, created_at=created,
                                  paid_at=paid_at, provider=provider)


@pytest.fixture
def filters():
    today = timezone.localdate()
    return Filters(start=today - datetime.timedelta(days=365), end=today + datetime.timedelta(days=120))
