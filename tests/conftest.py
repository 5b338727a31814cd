import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from tests.factories import ApplicantFactory, QTSPStaffFactory, ReviewerFactory, UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def applicant(db):
    return ApplicantFactory()


@pytest.fixture
def reviewer(db):
    """A committee reviewer with an authenticator app, as the admin requires."""
    user = ReviewerFactory()
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def qtsp_staff(db):
    return QTSPStaffFactory()


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // 30))
