"""The data of a busy body, on a throw-away database: the large data set the page benchmarks run on.

    .venv/bin/python bench/scale.py [--scale 0.2]

``--scale 1.0`` builds the numbers of issue 17 (about 50,000 accounts, 200,000 mentoring-hours entries,
20,000 applications with their events, two years of quarterly sessions at a dozen centres: about 2,000
sessions and 40,000 bookings, 30,000 certificates of which 10,000 are listed in the directory, 300 QTSPs
with 60,000 enrolments, 2,000 organizations, 100,000 invoices, events with registrations); the default
0.2 is a fifth of that. Run on its own it builds the data on a database of its own, prints the row
counts and the time taken, and drops the database again; ``bench/pages.py --scale`` calls
:func:`seed_scale` after the demo data.

Everything goes in with ``bulk_create`` in batches: no services, no signals, no mail. The rows are
consistent with the portal's constraints (one open application per person and level, one live invoice
per reference, seats taken within capacity, numbers from the database's own sequences), so every page
shows them as it would show real ones. Event tables refuse UPDATE and DELETE; inserting is fine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 2000
# The demo accounts' published password and staff TOTP secret (README, settings/local.py): the benchmarks
# sign in as the demo applicant, QTSP and reviewer on their throw-away database.
DEMO_SECRETS = {"DEMO_PASSWORD": "demo-mentor-2026", "DEMO_TOTP_SECRET": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}
EMAIL_DOMAIN = "scale.example"
# The numbers at --scale 1.0.
FULL = {
    "accounts": 50_000, "hours": 200_000, "applications": 20_000, "sessions": 2_000, "bookings": 40_000,
    "certificates": 30_000, "listed": 10_000, "qtsps": 300, "enrolments": 60_000, "organizations": 2_000,
    "invoices": 100_000, "events": 100, "registrations": 20_000,
}
# What a signed-in page shows "many" of, whatever the scale: the demo applicant's own rows.
APPLICANT_HOURS = 200
APPLICANT_INVOICES = 40
ROSTER_SIZE = 500

COUNTRIES = [
    "AE", "AR", "AU", "BR", "CA", "CH", "CL", "CN", "CO", "DE", "DK", "EG", "ES", "FI", "FR", "GB", "GH", "GR",
    "HK", "ID", "IE", "IL", "IN", "IT", "JP", "KE", "KR", "MA", "MX", "MY", "NG", "NL", "NO", "NZ", "PE", "PH",
    "PK", "PL", "PT", "QA", "RO", "SA", "SE", "SG", "TH", "TR", "TW", "UA", "US", "VN", "ZA",
]  # 51 countries
LANGUAGES = ["en", "zh-hans", "es", "fr", "de", "ar", "pt", "ja"]
FIRST = ["Amina", "Bao", "Carlos", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
         "Mei", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wei", "Yara", "Zoe"]
LAST = ["Adeyemi", "Bauer", "Chen", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kim",
        "Li", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka", "Usman", "Wang", "Zhang"]
CITIES = ["Capital", "Harbour", "Riverside", "Old Town", "Lakeside", "Hilltop"]


def sized(scale: float) -> dict[str, int]:
    """The number of each kind of row at ``scale``, never below a handful."""
    return {name: max(int(full * scale), 5) for name, full in FULL.items()}


def seed_scale(*, scale: float, seed: int = 17, stdout=sys.stdout) -> dict[str, int]:
    """Add the data of a busy body at ``scale`` to a database that holds the demo data; the rows added, by kind."""
    from django.db import transaction

    rng = random.Random(seed)
    sizes = sized(scale)
    counts: dict[str, int] = {}
    started = time.perf_counter()

    def step(name: str, build) -> None:
        began = time.perf_counter()
        with transaction.atomic():
            added = build()
        counts.update(added)
        stdout.write(f"  {name}: {', '.join(f'{k} {v}' for k, v in added.items())} "
                     f"({time.perf_counter() - began:.1f} s)\n")
        stdout.flush()

    stdout.write(f"Seeding the scale data set (--scale {scale:g}) ...\n")
    users: list = []
    step("accounts", lambda: _accounts(rng, sizes["accounts"], users))
    step("hours", lambda: _hours(rng, sizes["hours"], users))
    step("applications", lambda: _applications(rng, sizes["applications"], users))
    step("exams", lambda: _exams(rng, sizes["sessions"], sizes["bookings"], users))
    step("certificates", lambda: _certificates(rng, sizes["certificates"], sizes["listed"], users))
    step("partners", lambda: _partners(rng, sizes["qtsps"], sizes["enrolments"], users))
    step("organizations", lambda: _organizations(rng, sizes["organizations"]))
    step("invoices", lambda: _invoices(rng, sizes["invoices"], users))
    step("events", lambda: _events(rng, sizes["events"], sizes["registrations"], users))
    with transaction.atomic():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stdout.write(f"Seeded in {time.perf_counter() - started:.1f} s\n")
    return counts


def _sequence_values(sequence: str, count: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
        return [value for (value,) in cursor.fetchall()]


def _when(rng: random.Random, *, days_back: int, days_ahead: int = 0) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=rng.randint(-days_back, days_ahead), seconds=rng.randint(0, 86399))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _accounts(rng, count, users) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password

    from applicants.models import Profile, User

    password = make_password(None)  # unusable: nobody signs in as these accounts
    new = [User(email=f"person{index:06d}@{EMAIL_DOMAIN}", full_name=_name(rng), password=password,
                date_joined=_when(rng, days_back=5 * 365)) for index in range(count)]
    users.extend(User.objects.bulk_create(new, batch_size=BATCH))
    Profile.objects.bulk_create(
        [Profile(user=user, legal_name=user.full_name, country=rng.choice(COUNTRIES), city=rng.choice(CITIES),
                 languages=rng.sample(LANGUAGES, rng.randint(1, 3)), highest_education="bachelor",
                 mentoring_since=datetime.date(2010 + rng.randint(0, 12), rng.randint(1, 12), 1))
         for user in users],
        batch_size=BATCH,
    )
    return {"accounts": len(users), "profiles": len(users)}


def _applicant():
    from applicants.models import User

    return User.objects.get(email="applicant@ipma.example")


def _hours(rng, count, users) -> dict[str, int]:
    from applicants.models import HoursEntry, MentoringFormat

    formats = list(MentoringFormat.values)
    owners = [*([_applicant()] * APPLICANT_HOURS), *(rng.choice(users) for _ in range(count))]
    rows = []
    for owner in owners:
        started = datetime.date.today() - datetime.timedelta(days=rng.randint(30, 5 * 365))
        rows.append(HoursEntry(user=owner, mentee=f"Mentee {rng.randint(1, 9999)}", started_on=started,
                               ended_on=started + datetime.timedelta(days=rng.randint(0, 25)),
                               hours=Decimal(rng.randint(1, 40)), format=rng.choice(formats)))
    HoursEntry.objects.bulk_create(rows, batch_size=BATCH)
    return {"hours": len(rows)}


def _applications(rng, count, users) -> dict[str, int]:
    from accreditation.models import ApplicationEvent, ApplicationStatus, EventAction, Level, LevelApplication

    levels = list(Level.objects.order_by("rank"))
    statuses = [
        (ApplicationStatus.APPROVED, 40), (ApplicationStatus.UNDER_REVIEW, 15), (ApplicationStatus.SUBMITTED, 5),
        (ApplicationStatus.ACCEPTED_FOR_EXAM, 15), (ApplicationStatus.REJECTED, 10),
        (ApplicationStatus.INFORMATION_REQUESTED, 5), (ApplicationStatus.WITHDRAWN, 5), (ApplicationStatus.DRAFT, 5),
    ]
    population, weights = zip(*statuses, strict=True)
    numbers = _sequence_values("accreditation_application_number_seq", count)
    rows = []
    for index in range(count):
        status = rng.choices(population, weights)[0]
        created = _when(rng, days_back=4 * 365, days_ahead=-10)
        submitted = None if status == ApplicationStatus.DRAFT else created + datetime.timedelta(days=2)
        rows.append(LevelApplication(
            number=f"A{created:%Y}-{numbers[index]:06d}", applicant=users[index % len(users)],
            level=levels[index // len(users) % len(levels)] if count > len(users) else rng.choice(levels),
            status=status, practice_statement="My mentoring practice.", created_at=created, submitted_at=submitted,
            rejection_reason="Not enough evidenced hours." if status == ApplicationStatus.REJECTED else "",
            decided_at=created + datetime.timedelta(days=40) if status in (
                ApplicationStatus.APPROVED, ApplicationStatus.REJECTED) else None,
        ))
    applications = LevelApplication.objects.bulk_create(rows, batch_size=BATCH)
    moves = {ApplicationStatus.UNDER_REVIEW: EventAction.REVIEW_STARTED,
             ApplicationStatus.INFORMATION_REQUESTED: EventAction.INFORMATION_REQUESTED,
             ApplicationStatus.ACCEPTED_FOR_EXAM: EventAction.ACCEPTED_FOR_EXAM,
             ApplicationStatus.APPROVED: EventAction.APPROVED, ApplicationStatus.REJECTED: EventAction.REJECTED,
             ApplicationStatus.WITHDRAWN: EventAction.WITHDRAWN}
    events = []
    for application in applications:
        if application.status == ApplicationStatus.DRAFT:
            continue
        events.append(ApplicationEvent(application=application, action=EventAction.SUBMITTED, from_status=ApplicationStatus.DRAFT,
                                       to_status=ApplicationStatus.SUBMITTED, created_at=application.submitted_at,
                                       actor=application.applicant, actor_name=application.applicant.email))
        if application.status != ApplicationStatus.SUBMITTED:
            events.append(ApplicationEvent(application=application, action=moves[application.status],
                                           from_status=ApplicationStatus.SUBMITTED, to_status=application.status,
                                           created_at=application.submitted_at + datetime.timedelta(days=20)))
    ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)
    return {"applications": len(applications), "application_events": len(events)}


def _exams(rng, sessions, bookings, users) -> dict[str, int]:
    from django.utils import timezone

    from accreditation.models import Level
    from exams.models import Booking, BookingEvent, BookingStatus, ExamSession, ExamWindow, TestCentre
    from exams.services import window_for_quarter

    levels = list(Level.objects.order_by("rank"))
    centres = list(TestCentre.objects.filter(is_active=True))
    today = timezone.localdate()
    quarters = []
    year, quarter = today.year - 1, (today.month - 1) // 3 + 1
    for _ in range(8):  # two years: the last one and the next one
        quarters.append(window_for_quarter(year=year, quarter=quarter))
        quarter, year = (1, year + 1) if quarter == 4 else (quarter + 1, year)
    windows: list[ExamWindow] = quarters
    per_window = max(sessions // len(windows), 1)
    rows, taken = [], set(ExamSession.objects.values_list("centre_id", "starts_at"))
    for window in windows:
        span = max((window.closes_on - window.opens_on).days, 1)
        for _ in range(per_window):
            for _attempt in range(20):
                day = window.opens_on + datetime.timedelta(days=rng.randint(0, span))
                starts = datetime.datetime.combine(day, datetime.time(rng.choice([8, 9, 10, 13, 14, 15])),
                                                   tzinfo=datetime.UTC)
                centre = rng.choice(centres)
                if (centre.pk, starts) not in taken:
                    taken.add((centre.pk, starts))
                    rows.append(ExamSession(window=window, centre=centre, starts_at=starts, duration_minutes=180,
                                            capacity=rng.choice([20, 24, 30])))
                    break
    created = ExamSession.objects.bulk_create(rows, batch_size=BATCH)
    through = ExamSession.levels.through
    pairs = [(levels[0], levels[1]), (levels[2], levels[3])]
    session_levels = {session.pk: pairs[index % 2] for index, session in enumerate(created)}
    through.objects.bulk_create([through(examsession_id=pk, level_id=level.pk)
                                 for pk, pair in session_levels.items() for level in pair], batch_size=BATCH)
    # Bookings: each candidate at most one per window, each session within its capacity.
    booking_rows, per_session = [], {}
    people = iter(rng.sample(users, len(users)))
    for session in created:
        if len(booking_rows) >= bookings:
            break
        fill = rng.randint(session.capacity // 2, session.capacity)
        for _ in range(min(fill, bookings - len(booking_rows))):
            candidate = next(people, None)
            if candidate is None:
                people = iter(rng.sample(users, len(users)))
                candidate = next(people)
            past = session.starts_at < timezone.now()
            status = rng.choice([BookingStatus.ATTENDED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW]) if past \
                else BookingStatus.BOOKED
            booking_rows.append(Booking(candidate=candidate, session=session, window=session.window,
                                        level=rng.choice(session_levels[session.pk]), status=status,
                                        booked_at=session.starts_at - datetime.timedelta(days=30),
                                        paid_at=session.starts_at - datetime.timedelta(days=29)))
            per_session[session.pk] = per_session.get(session.pk, 0) + 1
    made = Booking.objects.bulk_create(booking_rows, batch_size=BATCH)
    for session in created:
        session.seats_taken = per_session.get(session.pk, 0)
    ExamSession.objects.bulk_update(created, ["seats_taken"], batch_size=BATCH)
    BookingEvent.objects.bulk_create(
        [BookingEvent(booking=booking, session=booking.session, from_status="", to_status=BookingStatus.BOOKED,
                      created_at=booking.booked_at, actor=booking.candidate, actor_name=booking.candidate.email)
         for booking in made], batch_size=BATCH)
    return {"sessions": len(created), "bookings": len(made), "booking_events": len(made)}


def _certificates(rng, count, listed, users) -> dict[str, int]:
    from accreditation.models import Level
    from certificates.models import Certificate, CertificateStatus
    from organizations.models import DirectoryListing, Sector

    levels = list(Level.objects.order_by("rank"))
    numbers = _sequence_values("certificates_certificate_number_seq", count)
    rows = []
    for index in range(count):
        holder, level = users[index % len(users)], levels[index // len(users) % len(levels)]
        issued = datetime.date.today() - datetime.timedelta(days=rng.randint(0, 6 * 365))
        expires = issued.replace(year=issued.year + 5, day=min(issued.day, 28))
        status = CertificateStatus.ACTIVE if expires > datetime.date.today() else CertificateStatus.EXPIRED
        rows.append(Certificate(number=f"IPMA-{level.code}-{issued.year}-{numbers[index]:06d}", level=level,
                                legal_name=holder.full_name, holder=holder, issued_on=issued, valid_from=issued,
                                expires_on=expires, status=status, source=f"scale:{index}"))
    certificates = Certificate.objects.bulk_create(rows, batch_size=BATCH)
    active_holders = list(dict.fromkeys(c.holder for c in certificates if c.status == CertificateStatus.ACTIVE))
    sectors = list(Sector.values)
    listings = [DirectoryListing(user=holder, opted_in=True, display_name=holder.full_name,
                                 headline="Mentor of leaders and teams", profile="Mentoring for twenty years.",
                                 country=rng.choice(COUNTRIES), city=rng.choice(CITIES),
                                 languages=rng.sample(LANGUAGES, rng.randint(1, 3)),
                                 sectors=rng.sample(sectors, rng.randint(1, 2)))
                for holder in active_holders[:listed]]
    DirectoryListing.objects.bulk_create(listings, batch_size=BATCH)
    return {"certificates": len(certificates), "directory_listings": len(listings)}


def _partners(rng, count, enrolments, users) -> dict[str, int]:
    from accreditation.models import Level
    from partners.models import QTSP, Cohort, Enrolment, TrainingFormat, TrainingProgramme

    levels = list(Level.objects.order_by("rank"))
    qtsps = QTSP.objects.bulk_create([
        QTSP(name=f"Mentoring Academy {index:04d}", country=rng.choice(COUNTRIES), city=rng.choice(CITIES),
             contact_name=_name(rng), contact_email=f"qtsp{index:04d}@{EMAIL_DOMAIN}", status=QTSP.Status.APPROVED,
             formats=[TrainingFormat.ONLINE],
             latitude=Decimal(rng.randint(-6000, 6000)) / 100, longitude=Decimal(rng.randint(-17000, 17000)) / 100,
             description="Training mentors since 2010.") for index in range(count)], batch_size=BATCH)
    through = QTSP.levels.through
    through.objects.bulk_create([through(qtsp_id=qtsp.pk, level_id=level.pk) for qtsp in qtsps
                                 for level in rng.sample(levels, 2)], batch_size=BATCH)
    programmes = TrainingProgramme.objects.bulk_create([
        TrainingProgramme(qtsp=qtsp, title=f"{level.name} programme", level=level, format=TrainingFormat.values[0],
                          required_hours=32) for qtsp in qtsps for level in rng.sample(levels, 1)], batch_size=BATCH)
    cohorts_per_programme = 4
    per_cohort = max(enrolments // (len(programmes) * cohorts_per_programme), 1)
    cohorts = Cohort.objects.bulk_create([
        Cohort(programme=programme, name=f"Cohort {number}", is_online=True, capacity=per_cohort + 10,
               starts_on=datetime.date.today() - datetime.timedelta(days=90 * number),
               ends_on=datetime.date.today() - datetime.timedelta(days=90 * number - 60))
        for programme in programmes for number in range(cohorts_per_programme)], batch_size=BATCH)
    rows = []
    people = rng.sample(users, len(users))
    for index, cohort in enumerate(cohorts):
        for seat in range(per_cohort):
            trainee = people[(index * per_cohort + seat) % len(people)]
            rows.append(Enrolment(cohort=cohort, trainee=trainee, email=trainee.email, full_name=trainee.full_name))
        cohort.seats_taken = per_cohort
    Cohort.objects.bulk_update(cohorts, ["seats_taken"], batch_size=BATCH)
    # The demo QTSP's first programme gets a cohort of ROSTER_SIZE trainees: the roster page at size.
    demo_programme = TrainingProgramme.objects.filter(qtsp__staff__user__email="qtsp@ipma.example").order_by("pk")[0]
    roster = Cohort.objects.create(programme=demo_programme, name="Large cohort", is_online=True,
                                   capacity=ROSTER_SIZE, seats_taken=ROSTER_SIZE,
                                   starts_on=datetime.date.today() - datetime.timedelta(days=30),
                                   ends_on=datetime.date.today() + datetime.timedelta(days=60))
    rows += [Enrolment(cohort=roster, trainee=trainee, email=trainee.email, full_name=trainee.full_name)
             for trainee in people[:ROSTER_SIZE]]
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    return {"qtsps": len(qtsps), "programmes": len(programmes), "cohorts": len(cohorts) + 1, "enrolments": len(rows),
            "roster_cohort": roster.pk}


def _organizations(rng, count) -> dict[str, int]:
    from organizations.models import Organization, Sector

    sectors = list(Sector.values)
    made = Organization.objects.bulk_create([
        Organization(legal_name=f"{rng.choice(LAST)} {rng.choice(['Group', 'Foundation', 'University', 'Bank'])} "
                                f"{index:04d}", sector=rng.choice(sectors), country=rng.choice(COUNTRIES),
                     city=rng.choice(CITIES)) for index in range(count)], batch_size=BATCH)
    return {"organizations": len(made)}


def _invoices(rng, count, users) -> dict[str, int]:
    from accreditation.models import Level
    from payments.models import Invoice, InvoiceEvent, InvoiceKind, InvoiceStatus

    levels = list(Level.objects.order_by("rank"))
    applicant = _applicant()
    numbers = _sequence_values("payments_invoice_number_seq", count + APPLICANT_INVOICES)
    rows = []
    for index, number in enumerate(numbers):
        payer = applicant if index < APPLICANT_INVOICES else rng.choice(users)
        created = _when(rng, days_back=4 * 365)
        status = rng.choices([InvoiceStatus.PAID, InvoiceStatus.OPEN, InvoiceStatus.VOID], [80, 10, 10])[0]
        rows.append(Invoice(number=f"IPMA-{created.year}-{number:06d}", payer=payer, kind=InvoiceKind.EXAM,
                            reference=f"scale:{index}", level=rng.choice(levels), amount=Decimal("131.00"),
                            status=status, created_at=created,
                            paid_at=created + datetime.timedelta(hours=1) if status == InvoiceStatus.PAID else None,
                            voided_at=created + datetime.timedelta(days=30) if status == InvoiceStatus.VOID else None))
    invoices = Invoice.objects.bulk_create(rows, batch_size=BATCH)
    events = [InvoiceEvent(invoice=invoice, from_status="", to_status=InvoiceStatus.OPEN, created_at=invoice.created_at)
              for invoice in invoices]
    events += [InvoiceEvent(invoice=invoice, from_status=InvoiceStatus.OPEN, to_status=invoice.status,
                            created_at=invoice.paid_at or invoice.voided_at)
               for invoice in invoices if invoice.status != InvoiceStatus.OPEN]
    InvoiceEvent.objects.bulk_create(events, batch_size=BATCH)
    return {"invoices": len(invoices), "invoice_events": len(events)}


def _events(rng, count, registrations, users) -> dict[str, int]:
    from django.utils import timezone

    from events.models import Event, EventKind, EventStatus, Registration, RegistrationStatus

    now = timezone.now()
    rows = []
    for index in range(count):
        starts = now + datetime.timedelta(days=rng.randint(-365, 365), hours=rng.randint(0, 23))
        rows.append(Event(kind=EventKind.WEBINAR, slug=f"scale-webinar-{index:04d}",
                          title=f"Monthly webinar {index}", summary="Mentoring in practice.", starts_at=starts,
                          ends_at=starts + datetime.timedelta(hours=1), status=EventStatus.PUBLISHED,
                          capacity=None))
    events = Event.objects.bulk_create(rows, batch_size=BATCH)
    per_event = max(registrations // len(events), 1)
    regs = []
    for event in events:
        for person in rng.sample(users, min(per_event, len(users))):
            regs.append(Registration(event=event, person=person, status=RegistrationStatus.CONFIRMED,
                                     confirmed_at=event.starts_at - datetime.timedelta(days=3)))
        event.places_taken = per_event
    Event.objects.bulk_update(events, ["places_taken"], batch_size=BATCH)
    Registration.objects.bulk_create(regs, batch_size=BATCH)
    return {"events": len(events), "registrations": len(regs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2, help="1.0 = the numbers of issue 17")
    args = parser.parse_args()

    from bench.throwaway import reexec_with_services, throwaway_portal

    code = reexec_with_services()
    if code is not None:
        return code
    import os
    import secrets

    os.environ.setdefault("MFA_ENCRYPTION_KEY", secrets.token_urlsafe(32))  # the demo staff's TOTP, sealed
    with throwaway_portal("scale", redis_db=14):
        from django.core.management import call_command
        from django.test import override_settings

        with override_settings(**DEMO_SECRETS), open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
        started = time.perf_counter()
        counts = seed_scale(scale=args.scale)
        elapsed = time.perf_counter() - started
    print(json.dumps({"scale": args.scale, "seconds": round(elapsed, 1), **counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
