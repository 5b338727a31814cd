"""Demo data: test centres in several countries and the next quarters' sessions (idempotent)."""

from datetime import date, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accreditation.models import Level
from exams.eligibility import exam_eligibility
from exams.models import ExamSession, TestCentre
from exams.services import sessions_create_for_centres, window_for_quarter

CENTRES = [
    # name, city, country, address, time zone, seats
    ("IPMA Test Centre London", "London", "GB", "1 Exam Way, London EC1A 1BB", "Europe/London", 24),
    ("Frankfurt Messe Exams", "Frankfurt", "DE", "Ludwig-Erhard-Anlage 1, 60327 Frankfurt", "Europe/Berlin", 24),
    ("Manhattan Exam Rooms", "New York", "US", "350 Fifth Avenue, New York, NY 10118", "America/New_York", 30),
    ("Paulista Exam Centre", "São Paulo", "BR", "Avenida Paulista 1000, São Paulo", "America/Sao_Paulo", 20),
    ("Westlands Test Centre", "Nairobi", "KE", "Waiyaki Way, Westlands, Nairobi", "Africa/Nairobi", 12),
    ("Marina Bay Test Centre", "Singapore", "SG", "10 Bayfront Avenue, Singapore 018956", "Asia/Singapore", 20),
    ("Shibuya Exam Hall", "Tokyo", "JP", "2-21-1 Shibuya, Tokyo 150-0002", "Asia/Tokyo", 16),
    ("Sydney Harbour Exams", "Sydney", "AU", "1 Macquarie Street, Sydney NSW 2000", "Australia/Sydney", 18),
]
QUARTERS_AHEAD = 3


def _quarters(today: date, count: int):
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        yield year, quarter
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


@transaction.atomic
def seed(stdout) -> None:
    centres = []
    for name, city, country, address, zone, seats in CENTRES:
        centre, _created = TestCentre.objects.update_or_create(
            name=name, city=city, country=country,
            defaults={"address": address, "time_zone": zone, "seats": seats, "is_active": True})
        centres.append(centre)
    levels = {level.code: level for level in Level.objects.all()}
    today = timezone.now().date()
    for year, quarter in _quarters(today, QUARTERS_AHEAD):
        window = window_for_quarter(year=year, quarter=quarter)
        middle, last = 3 * quarter - 1, 3 * quarter
        days = [day for day in (date(year, middle, 14), date(year, last, 9)) if day > today]
        if not days:
            continue
        sessions_create_for_centres(window=window, centres=centres, days=days, start=time(9, 0),
                                    duration_minutes=180, levels=[levels["AM"], levels["PM"]])
        sessions_create_for_centres(window=window, centres=centres, days=days, start=time(14, 0),
                                    duration_minutes=240, levels=[levels["SM"], levels["MM"]])
    upcoming = ExamSession.objects.upcoming().count()
    stdout.write(
        f"Exams: {len(centres)} test centres in {len({c.country.code for c in centres})} countries, "
        f"{upcoming} upcoming sessions: /exams/calendar/ (weights: /curriculum/). Applicants book once "
        "their application is accepted for the exam; the committee manages sessions and results in the admin."
    )
    # Whoever the other apps' demo data made eligible (accreditation seeds before exams).
    can_book = [
        f"{user.email} ({level.code})"
        for user in get_user_model().objects.filter(email__endswith="@ipma.example").order_by("email")
        for level in levels.values() if exam_eligibility(user=user, level=level).eligible
    ]
    if can_book:
        stdout.write(f"  May book an exam now: {', '.join(can_book)}")
