import pytest

from tests.events.factories import EventFactory, SeriesFactory
from tests.payments.factories import MembershipPeriodFactory


@pytest.fixture
def event_factory(db):
    return EventFactory


@pytest.fixture
def series_factory(db):
    return SeriesFactory


@pytest.fixture
def member(db):
    return MembershipPeriodFactory().user


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def pay(settings, django_capture_on_commit_callbacks):
    """Pay a registration's invoice with the offline demo provider; the signal runs after commit."""
    from events.services.billing import event_invoice
    from payments.services import demo_payment_complete

    settings.PAYMENTS_DEMO_PROVIDER = True

    def pay(registration):
        invoice = event_invoice(registration)
        with django_capture_on_commit_callbacks(execute=True):
            demo_payment_complete(invoice=invoice, actor=registration.person)
        registration.refresh_from_db()
        return invoice

    return pay
