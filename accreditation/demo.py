"""Demo level applications at every stage the committee works on, for `make run`.

Everything goes through the services, as in real life: training is recorded on a QTSP's roster by
the partners app, the fee is paid by a bank transfer the committee confirms (payments), and the reviewer decides through the same functions the admin
calls. Idempotent: an applicant who already has an application for the level is left as they are.
"""

import logging

from django.core.exceptions import ValidationError

from accreditation.models import ApplicationStatus, Level, LevelApplication
from accreditation.services import (
    appeal_file,
    application_accept_for_exam,
    application_create,
    application_reject,
    application_request_information,
    application_submit,
    application_update,
)
from applicants.demo import demo_practice, demo_user
from applicants.models import User
from applicants.roles import APPLICANT, COMMITTEE_REVIEWER
from partners.demo import qtsps_seed
from partners.selectors import cohorts_for_staff, training_completed
from partners.services import Outcome, enrolment_accept, enrolment_add, enrolment_record
from payments.selectors import invoice_for
from payments.services import bank_transfer_confirm

logger = logging.getLogger(__name__)

SECOND_REVIEWER = ("reviewer2@ipma.example", "Rui Reviewer")
# email, full name, country, city, level, the stage to bring the application to
DEMO_APPLICANTS = [
    ("dana.draft@ipma.example", "Dana Draft", "KE", "Nairobi", "PM", ApplicationStatus.DRAFT),
    ("sam.submitted@ipma.example", "Sam Submitted", "BR", "Recife", "AM", ApplicationStatus.SUBMITTED),
    ("uma.review@ipma.example", "Uma Review", "IN", "Pune", "AM", ApplicationStatus.UNDER_REVIEW),
    ("ines.info@ipma.example", "Ines Info", "ES", "Madrid", "AM", ApplicationStatus.INFORMATION_REQUESTED),
    ("abel.accepted@ipma.example", "Abel Accepted", "ET", "Addis Ababa", "AM", ApplicationStatus.ACCEPTED_FOR_EXAM),
    ("rita.rejected@ipma.example", "Rita Rejected", "CA", "Toronto", "AM", ApplicationStatus.REJECTED),
]
LEVEL_HOURS = {"AM": 45, "PM": 120, "SM": 320, "MM": 520}
LEVEL_YEARS = {"AM": 1, "PM": 2, "SM": 4, "MM": 6}


def _training_recorded(user: User, level_code: str) -> None:
    """The QTSP records the completed training on its roster."""
    if training_completed(user=user, level_code=level_code):
        return
    qtsps_seed()
    owner = User.objects.get(email="qtsp@ipma.example")
    cohort = (cohorts_for_staff(owner).filter(programme__level__code=level_code, programme__is_fasttrack=False)
              .select_related("programme").order_by("pk").first())
    if cohort is None:
        return
    enrolment = enrolment_add(cohort=cohort, email=user.email, full_name=user.full_name, actor=owner)
    enrolment = enrolment_accept(enrolment=enrolment, user=user)  # the demo applicant accepts the invitation
    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=cohort.programme.required_hours,
                     attended_days=cohort.programme.required_days, outcome=Outcome.PASSED)


def _fee_paid(application: LevelApplication, actor: User) -> None:
    """The committee confirms the applicant's bank transfer of the accreditation fee."""
    if application.status != ApplicationStatus.SUBMITTED:
        return
    invoice = invoice_for(kind="accreditation", reference=application.payment_reference)
    if invoice is not None:
        bank_transfer_confirm(invoice=invoice, actor=actor, bank_reference=f"DEMO-{application.number}")
    application.refresh_from_db()


def _bring_to(application: LevelApplication, stage: str, *, applicant: User, reviewer: User) -> LevelApplication:
    application = application_update(
        application=application, actor=applicant,
        practice_statement="I mentor three early-career colleagues, online, every two weeks.",
    )
    if stage == ApplicationStatus.DRAFT:
        return application
    application = application_submit(application=application, actor=applicant)
    if stage == ApplicationStatus.SUBMITTED:
        return application
    _fee_paid(application, reviewer)
    if stage == ApplicationStatus.INFORMATION_REQUESTED:
        application_request_information(application=application, actor=reviewer,
                                        message="Please upload the log of your sessions with Mentee B.")
    elif stage == ApplicationStatus.ACCEPTED_FOR_EXAM:
        application_accept_for_exam(application=application, actor=reviewer)
    elif stage == ApplicationStatus.REJECTED:
        application_reject(application=application, actor=reviewer,
                           reason="The hours with Mentee A overlap with your employment as their line manager, "
                                  "which the code of ethics treats as a conflict of interest.")
        appeal_file(application=application, actor=applicant,
                    statement="Mentee A moved to another department before our mentoring began.")
    application.refresh_from_db()
    return application


def seed(stdout) -> None:
    reviewer = demo_user("reviewer@ipma.example", "Rania Reviewer", COMMITTEE_REVIEWER, is_staff=True)
    demo_user(*SECOND_REVIEWER, COMMITTEE_REVIEWER, is_staff=True)
    applicant = User.objects.get(email="applicant@ipma.example")
    if not LevelApplication.objects.filter(applicant=applicant).exists():
        application_create(applicant=applicant, level=Level.objects.get(code="PM"))
    stdout.write("Accreditation: levels at /levels/; applicant@ipma.example has a draft PM application (/applications/).")
    for email, name, country, city, level_code, stage in DEMO_APPLICANTS:
        person = demo_user(email, name, APPLICANT)
        existing = LevelApplication.objects.filter(applicant=person, level__code=level_code).first()
        if existing is None:
            # Not one transaction: the fee's "paid" signal is sent after its own commit, as in production.
            try:
                demo_practice(person, country=country, city=city, education="bachelor",
                              years=LEVEL_YEARS[level_code], hours=LEVEL_HOURS[level_code])
                if stage != ApplicationStatus.DRAFT:
                    _training_recorded(person, level_code)
                draft = application_create(applicant=person, level=Level.objects.get(code=level_code))
                existing = _bring_to(draft, stage, applicant=person, reviewer=reviewer)
            except ValidationError as error:
                stdout.write(f"  {email}: could not reach “{stage.label}”: {' '.join(error.messages)}")
                continue
        stdout.write(f"  {email:<30} {existing.level.code} {existing.number}: {existing.get_status_display()}")
    stdout.write(f"  Committee: reviewer@ipma.example and {SECOND_REVIEWER[0]} review them at "
                 "/admin/accreditation/levelapplication/ (Rita's appeal goes to the reviewer who did not reject).")
