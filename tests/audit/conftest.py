import pytest

from tests.conftest import TOTP_SECRET
from tests.factories import ReviewerFactory
from tests.payments.conftest import raise_invoice  # noqa: F401  (a pytest fixture)


@pytest.fixture
def checker(db):
    """A second committee member with two-factor, who approves what ``reviewer`` proposes."""
    from allauth.mfa.totp.internal.auth import TOTP

    user = ReviewerFactory()
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def superuser(db):
    return ReviewerFactory(is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
