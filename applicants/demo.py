"""Demo accounts for `make run`: one per role, verified, printed with their logins.

Their password and the staff's TOTP secret are published in the README, so they come from the
local and test settings only (DEMO_PASSWORD, DEMO_TOTP_SECRET); seed_demo refuses to run without them.
"""

import datetime
from decimal import Decimal
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from applicants.models import EthicsCode, MentoringFormat, User
from applicants.roles import APPLICANT, COMMITTEE_REVIEWER, QTSP_STAFF
from applicants.selectors import ethics_current, profile_of
from documents.pdf import html_to_pdf


def demo_secrets() -> tuple[str, str]:
    """The published demo password and staff TOTP secret, from settings that only local and test define."""
    password = getattr(settings, "DEMO_PASSWORD", "")
    totp_secret = getattr(settings, "DEMO_TOTP_SECRET", "")
    if not password or not totp_secret:
        raise ImproperlyConfigured(
            "DEMO_PASSWORD and DEMO_TOTP_SECRET are not set: demo accounts exist only under the local "
            "and test settings."
        )
    return password, totp_secret


def __getattr__(name: str) -> str:
    # ``from applicants.demo import DEMO_PASSWORD`` (other apps' demo modules) reads the setting when used.
    if name == "DEMO_PASSWORD":
        return demo_secrets()[0]
    if name == "DEMO_TOTP_SECRET":
        return demo_secrets()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DEMO_USERS = [
    # email, full name, role group, is_staff, is_superuser
    ("admin@ipma.example", "Ada Admin", None, True, True),
    ("reviewer@ipma.example", "Rania Reviewer", COMMITTEE_REVIEWER, True, False),
    ("qtsp@ipma.example", "Quentin Trainer", QTSP_STAFF, False, False),
    ("applicant@ipma.example", "Amara Applicant", APPLICANT, False, False),
]


@transaction.atomic
def demo_user(email: str, full_name: str, group: str | None, *, is_staff=False, is_superuser=False) -> User:
    """Create (or bring back in line) one verified demo account; safe to run again."""
    password, totp_secret = demo_secrets()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": is_staff, "is_superuser": is_superuser}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if is_staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, totp_secret)
    return user


ETHICS_TEXT = """1. Put the mentee's growth first: mentor for their goals, not your own.
2. Keep confidences, except where the law or someone's safety requires otherwise.
3. Work within your competence, and refer the mentee on when a need is beyond it.
4. Declare any conflict of interest and do not exploit the relationship.
5. Respect every mentee's culture, identity and right to decide for themselves.
6. Keep honest records of your mentoring service and your training.
7. Keep learning: maintain your accreditation through continuing development."""


def ethics_seed() -> EthicsCode:
    """Version 1 of the code of ethics, in English and Chinese (the committee publishes later versions in the admin)."""
    from applicants.services import ethics_code_publish

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    code = ethics_current(fresh=True) or ethics_code_publish(text=ETHICS_TEXT, actor=admin,
                                                   published_at=timezone.now() - datetime.timedelta(days=90))
    # Its Chinese comes with the migration that made the code bilingual, for installations that had it before;
    # a version published here since (or a database a test has flushed) gets it from the same place.
    import_module("applicants.migrations.0007_ethics_code_translations").translate(apps, None)
    code.refresh_from_db()
    return code


def demo_translation_fill(row: models.Model, **chinese: str) -> models.Model:
    """Give a demo row its Simplified Chinese (``field=value``) where it has none yet, rows from an earlier seed
    included; a Chinese value already there (an editor's) is kept."""
    missing = {f"{field}_zh_hans": value for field, value in chinese.items() if not getattr(row, f"{field}_zh_hans")}
    for name, value in missing.items():
        setattr(row, name, value)
    if missing:
        row.save(update_fields=list(missing))
    return row


def demo_pdf(title: str) -> ContentFile:
    """A real one-page PDF (WeasyPrint), so demo uploads look like what people send."""
    return ContentFile(html_to_pdf(f"<h1>{title}</h1><p>Demo document.</p>"), name=f"{title}.pdf")


def demo_practice(user: User, *, country: str, city: str, education: str, years: int, hours: int) -> User:
    """Profile, hours log and ethics adoption for a demo applicant (idempotent)."""
    from applicants.services import ethics_adopt, hours_entry_create, profile_update

    profile = profile_of(user)
    if not profile.pk:
        profile_update(
            user=user, time_zone="UTC", legal_name=user.full_name, country=country, city=city, languages=["en"],
            highest_education=education, background="Demo applicant: a manager who mentors colleagues.",
            mentoring_since=timezone.localdate() - datetime.timedelta(days=366 * years + 30),
            education_proof=demo_pdf("Diploma"),
        )
    if not user.hours_entries.exists() and hours:
        today = timezone.localdate()
        # Three mentees, the last one getting what is left of the total.
        shares = [hours // 3, hours // 3, hours - 2 * (hours // 3)]
        for index, share in enumerate(shares):
            hours_entry_create(
                user=user, mentee=f"Mentee {'ABC'[index]}", hours=Decimal(share), format=MentoringFormat.ONLINE,
                started_on=today - datetime.timedelta(days=300 - 90 * index),
                ended_on=today - datetime.timedelta(days=220 - 90 * index),
            )
    ethics_adopt(user=user)
    return user


def demo_confirmations(user: User) -> None:
    """The applicant's three entries: one confirmed by its mentee, one disputed, one awaiting (idempotent)."""
    from applicants.confirmations import hours_confirmation_answer, hours_confirmation_request
    from applicants.models import HoursEntryEvent

    entries = list(user.hours_entries.order_by("started_on", "pk")[:3])
    if len(entries) < 3 or HoursEntryEvent.objects.filter(entry__in=entries).exists():
        return
    answers = [(True, ""), (False, "We met for fewer sessions than this; about half of these hours."), None]
    for entry, answer in zip(entries, answers, strict=True):
        with transaction.atomic():
            entry.confirmer_email = f"{entry.mentee.lower().replace(' ', '-')}@example.org"
            entry.save(update_fields=["confirmer_email"])
            token = hours_confirmation_request(entry=entry, actor=user)
        if answer is not None:
            hours_confirmation_answer(entry_id=entry.pk, token=token, confirmed=answer[0], comment=answer[1])


def seed(stdout) -> None:
    password, totp_secret = demo_secrets()
    for email, full_name, group, is_staff, is_superuser in DEMO_USERS:
        demo_user(email, full_name, group, is_staff=is_staff, is_superuser=is_superuser)
    ethics_seed()
    demo_practice(User.objects.get(email="applicant@ipma.example"), country="NG", city="Lagos",
                  education="bachelor", years=2, hours=62)
    demo_confirmations(User.objects.get(email="applicant@ipma.example"))
    stdout.write(f"Demo logins (password for all: {password}):")
    for email, _name, group, is_staff, _superuser in DEMO_USERS:
        stdout.write(f"  {email:<28} {group or 'Superuser'}{' (staff, two-factor)' if is_staff else ''}")
    stdout.write(
        f"  Staff two-factor secret: {totp_secret} (add it to an authenticator app, "
        "or run `make totp` for the current code)"
    )
    stdout.write("  applicant@ipma.example has a profile, 62 mentoring hours and the code of ethics adopted "
                 "(/profile/, /hours/, /ethics/); of its hours one entry is confirmed by the mentee, one disputed "
                 "(decide it in the admin's mentoring-hours entries) and one awaits the mentee's answer.")
