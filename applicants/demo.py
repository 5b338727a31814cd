"""Demo accounts for `make run`: one per role, verified, printed with their logins."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction

from applicants.models import User
from applicants.roles import APPLICANT, COMMITTEE_REVIEWER, QTSP_STAFF

DEMO_PASSWORD = "demo-mentor-2026"
# Staff need an authenticator app for the admin; the demo ones share this published secret.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

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
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": is_staff, "is_superuser": is_superuser}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if is_staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def seed(stdout) -> None:
    for email, full_name, group, is_staff, is_superuser in DEMO_USERS:
        demo_user(email, full_name, group, is_staff=is_staff, is_superuser=is_superuser)
    stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, _name, group, is_staff, _superuser in DEMO_USERS:
        stdout.write(f"  {email:<28} {group or 'Superuser'}{' (staff, two-factor)' if is_staff else ''}")
    stdout.write(
        f"  Staff two-factor secret: {DEMO_TOTP_SECRET} (add it to an authenticator app, "
        "or run `make totp` for the current code)"
    )
