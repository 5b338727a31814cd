"""Demo QTSPs for `make run`: Lumen (Singapore, owned by qtsp@ipma.example) with programmes, cohorts and
trainees; Nordlicht (Berlin) running the fast track too, with a programme under the committee's review; Maple
(Toronto), so the training finder lists cohorts in three countries; a new application waiting for the committee."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accreditation.models import Level
from applicants.demo import demo_user
from applicants.models import User
from applicants.roles import APPLICANT, QTSP_STAFF
from partners.models import (
    QTSP,
    Cohort,
    Enrolment,
    ProgrammeStatus,
    QTSPDocument,
    QTSPEvent,
    SyllabusItem,
    TrainingFormat,
    TrainingProgramme,
)
from partners.places import city_locate
from partners.services import Outcome, enrolment_accept, enrolment_add, enrolment_record
from partners.services.programme_review import curriculum_topics
from partners.services.terms import term_end
from partners.staff import qtsp_staff
from workflows.services import transition

SECOND_OWNER = ("qtsp.berlin@ipma.example", "Nora Nordlicht")


def demo_pdf(title: str) -> bytes:
    """A one-page PDF naming what it stands for (demo uploads pass the real content check)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")[:60]
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _qtsp(name: str, country: str, city: str, *, status: str, contact: tuple[str, str], levels, formats,
          description: str) -> QTSP:
    place = city_locate(country, city)
    qtsp, _created = QTSP.objects.update_or_create(
        name=name,
        defaults={
            "country": country, "city": place.name, "latitude": place.latitude, "longitude": place.longitude,
            "contact_name": contact[1], "contact_email": contact[0], "formats": formats, "status": status,
            "description": description, "approved_at": timezone.now() if status == QTSP.Status.APPROVED else None,
            "approved_until": term_end(date.today()) if status == QTSP.Status.APPROVED else None,
        },
    )
    qtsp.levels.set(Level.objects.filter(code__in=levels))
    if not qtsp.events.exists():
        QTSPEvent.objects.create(qtsp=qtsp, from_status="", to_status=QTSP.Status.SUBMITTED, note="Demo data")
        if status != QTSP.Status.SUBMITTED:
            QTSPEvent.objects.create(qtsp=qtsp, from_status=QTSP.Status.SUBMITTED, to_status=status, note="Demo data")
    if not qtsp.documents.exists():
        QTSPDocument.objects.create(qtsp=qtsp, original_name="registration-certificate.pdf",
                                    file=ContentFile(demo_pdf(f"{name}: registration"), name="registration.pdf"))
    return qtsp


def _programme(qtsp: QTSP, title: str, level: str, fmt: str, hours: int, days: int = 0, fasttrack=False, *,
               in_person: int = 0, language: str = "en", status: str = ProgrammeStatus.APPROVED):
    programme, created = TrainingProgramme.objects.update_or_create(
        qtsp=qtsp, title=title,
        defaults={"level": Level.objects.get(code=level), "format": fmt, "required_hours": hours,
                  "hours_in_person": hours if fmt == TrainingFormat.IN_PERSON else in_person,
                  "required_days": days, "is_fasttrack": fasttrack, "language": language},
    )
    if created:
        _syllabus(programme)
        programme.submitted_at = timezone.now() if status != ProgrammeStatus.DRAFT else None
        programme.save(update_fields=["submitted_at"])
        if status != ProgrammeStatus.DRAFT:
            transition(programme, ProgrammeStatus.SUBMITTED, actor=None, note="Demo data")
        if status not in (ProgrammeStatus.DRAFT, ProgrammeStatus.SUBMITTED):
            transition(programme, status, actor=None, note="Demo data")
    return programme


def _syllabus(programme: TrainingProgramme) -> None:
    """Spread the hours over the eight essential courses, the remainder to the first ones."""
    topics = list(curriculum_topics())
    share, rest = divmod(programme.required_hours, len(topics))
    SyllabusItem.objects.bulk_create(
        SyllabusItem(programme=programme, topic=topic, hours=share + (1 if index < rest else 0))
        for index, topic in enumerate(topics) if share + (1 if index < rest else 0)
    )


def _cohort(programme: TrainingProgramme, name: str, starts_in_days: int, weeks: int, capacity: int, venue="",
            price: str | None = None, currency: str = "USD"):
    start = date.today() + timedelta(days=starts_in_days)
    cohort, _created = Cohort.objects.update_or_create(
        programme=programme, name=name,
        defaults={"starts_on": start, "ends_on": start + timedelta(weeks=weeks), "is_online": not venue,
                  "venue": venue, "capacity": capacity, "price": Decimal(price) if price else None,
                  "currency": currency},
    )
    return cohort


def _trainee(cohort: Cohort, email: str, actor, full_name: str = "") -> Enrolment:
    existing = cohort.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).filter(email__iexact=email).first()
    return existing or enrolment_add(cohort=cohort, email=email, full_name=full_name, actor=actor)


@transaction.atomic
def qtsps_seed() -> dict[str, QTSP]:
    """The demo QTSPs and their programmes (idempotent); the fast-track demo relies on them too."""
    owner = demo_user("qtsp@ipma.example", "Quentin Trainer", QTSP_STAFF)
    lumen = _qtsp(
        "Lumen Mentoring Academy", "SG", "Singapore", status=QTSP.Status.APPROVED,
        contact=("qtsp@ipma.example", "Quentin Trainer"), levels=["AM", "PM", "SM", "MM"],
        formats=[TrainingFormat.ONLINE, TrainingFormat.IN_PERSON, TrainingFormat.BLENDED],
        description="Mentor training for South-East Asia, online and in our Marina Bay studio.",
    )
    qtsp_staff.owner_add(organisation=lumen, user=owner, actor=None)
    berlin_owner = demo_user(*SECOND_OWNER, QTSP_STAFF)
    nordlicht = _qtsp(
        "Nordlicht Mentoring Institut", "DE", "Berlin", status=QTSP.Status.APPROVED,
        contact=SECOND_OWNER, levels=["AM", "SM"], formats=[TrainingFormat.ONLINE, TrainingFormat.BLENDED],
        description="Mentoring programmes in German and English.",
    )
    qtsp_staff.owner_add(organisation=nordlicht, user=berlin_owner, actor=None)
    _qtsp(
        "Andes Mentoring Partners", "CL", "Santiago", status=QTSP.Status.SUBMITTED,
        contact=("andes@ipma.example", "Ana Andes"), levels=["AM", "PM"], formats=[TrainingFormat.ONLINE],
        description="A new applicant, waiting for the committee's decision.",
    )

    am = _programme(lumen, "Associate Mentor online training, 32 h", "AM", TrainingFormat.ONLINE, 32)
    _programme(lumen, "Professional Mentor blended training", "PM", TrainingFormat.BLENDED, 40, 2, in_person=16)
    lumen_ft = _programme(lumen, "Senior Mentor fast track: 5 days in person + 40 h online", "SM",
                          TrainingFormat.BLENDED, 40, 5, fasttrack=True)
    nordlicht_ft = _programme(nordlicht, "Senior Mentor Fast Track (Berlin)", "SM", TrainingFormat.BLENDED, 40, 5,
                              fasttrack=True)
    nordlicht_am = _programme(nordlicht, "Associate Mentor online training, 32 h", "AM", TrainingFormat.ONLINE, 32,
                              language="de")
    # Under the committee's review: not in the finder, and its completions would not count yet.
    _programme(nordlicht, "Senior Mentor blended training (Berlin)", "SM", TrainingFormat.BLENDED, 48, 3,
               in_person=24, language="de", status=ProgrammeStatus.SUBMITTED)
    maple = _qtsp(
        "Maple Mentoring Collective", "CA", "Toronto", status=QTSP.Status.APPROVED,
        contact=("qtsp.toronto@ipma.example", "Mia Maple"), levels=["AM", "PM"],
        formats=[TrainingFormat.ONLINE, TrainingFormat.IN_PERSON],
        description="Associate and Professional Mentor training in English and French.",
    )
    maple_am = _programme(maple, "Associate Mentor online evenings, 32 h", "AM", TrainingFormat.ONLINE, 32)
    maple_pm = _programme(maple, "Formation Mentor professionnel (en personne)", "PM", TrainingFormat.IN_PERSON, 40,
                          5, language="fr")

    spring = _cohort(am, "Online cohort — spring", 14, 8, 25, price="450.00", currency="SGD")
    _cohort(am, "Online cohort — summer", 90, 8, 25, price="450.00", currency="SGD")
    _cohort(lumen_ft, "Fast track — Marina Bay", 30, 12, 12, venue="10 Bayfront Avenue, Singapore",
            price="3900.00", currency="SGD")
    _cohort(nordlicht_ft, "Fast Track — Berlin Mitte", 21, 12, 10, venue="Friedrichstraße 100, Berlin",
            price="3200.00", currency="EUR")
    _cohort(nordlicht_am, "Online-Kurs — Frühjahr", 35, 6, 30, price="390.00", currency="EUR")
    _cohort(maple_am, "Evening cohort — winter", 20, 8, 20, price="420.00", currency="CAD")
    _cohort(maple_pm, "Cohorte Toronto (en français)", 60, 1, 16, venue="1 Dundas Street West, Toronto", currency="CAD")

    applicant = User.objects.filter(email="applicant@ipma.example").first() or demo_user(
        "applicant@ipma.example", "Amara Applicant", APPLICANT)
    in_training = _trainee(spring, applicant.email, owner)
    if not in_training.is_accepted:  # the demo applicant has accepted; the two others have no account
        in_training = enrolment_accept(enrolment=in_training, user=applicant)
    if in_training.status == Enrolment.Status.ENROLLED and in_training.attended_hours == 0:
        enrolment_record(enrolment=in_training, actor=owner, attended_hours=Decimal(12), attended_days=0,
                         outcome=Outcome.IN_TRAINING)
    finished = _trainee(spring, "trainee.done@ipma.example", owner, "Tomas Done")
    if finished.status == Enrolment.Status.ENROLLED:
        enrolment_record(enrolment=finished, actor=owner, attended_hours=Decimal(32), attended_days=0,
                         outcome=Outcome.PASSED)
    _trainee(spring, "trainee.invited@ipma.example", owner, "Ines Invited")
    return {"lumen": lumen, "nordlicht": nordlicht}


def seed(stdout) -> None:
    qtsps_seed()
    stdout.write("QTSPs: Lumen Mentoring Academy (Singapore) — portal at /partners/portal/ for qtsp@ipma.example "
                 "(owner); Nordlicht Mentoring Institut (Berlin) — owner qtsp.berlin@ipma.example; "
                 "Andes Mentoring Partners waits for the committee at /admin/partners/qtsp/.")
    stdout.write("  Roster: /partners/ lists the approved QTSPs; applicant@ipma.example is in Lumen's AM online cohort.")
