"""The periodic job that closes applications whose exam eligibility window ran out without a pass.

The window opens when the application is accepted for the exam (``accepted_at``) and lasts
``settings.EXAM_ELIGIBILITY_MONTHS``. Every such application is looked at, whether or not its candidate
ever booked a seat. Exams may hold a lapse back (a sitting inside the window still awaiting its result)
by answering ``accreditation.signals.exam_window_closing`` with True.
"""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accreditation.models import ApplicationStatus, LevelApplication
from accreditation.services.review import application_lapse
from accreditation.services.workflow import locked
from accreditation.signals import exam_window_closing

logger = logging.getLogger(__name__)


def exam_window_ends_at(application: LevelApplication) -> datetime.datetime | None:
    if application.accepted_at is None:
        return None
    return application.accepted_at + relativedelta(months=settings.EXAM_ELIGIBILITY_MONTHS)


def _lapse_must_wait(application: LevelApplication) -> bool:
    return any(answer is True for _receiver, answer in exam_window_closing.send(
        sender=LevelApplication, application=application))


@transaction.atomic
def _window_close(application_id: int, now: datetime.datetime) -> bool:
    application = locked(application_id)
    ends_at = exam_window_ends_at(application)
    if application.status != ApplicationStatus.ACCEPTED_FOR_EXAM or ends_at is None or ends_at >= now:
        return False  # another run (or a result) got there first
    if _lapse_must_wait(application):
        logger.info("The lapse of %s waits: an exam sat inside its window has no result yet", application.number)
        return False
    application_lapse(
        application_id=application.pk, actor=None,
        reason=_("The eligibility window closed on %(date)s without a pass.")
        % {"date": formats.date_format(timezone.localtime(ends_at), "DATE_FORMAT")},
    )
    return True


def exam_windows_lapse(*, now: datetime.datetime | None = None) -> int:
    """Lapse every application accepted for the exam whose window has ended; returns how many.

    Idempotent: a lapsed application is no longer accepted for the exam, and each one is re-read under
    its row lock, so a second run (or two beats at once) lapses nothing twice and sends no second mail.
    """
    now = now or timezone.now()
    # A few days' margin for month ends (31 January + 1 month is 28 February); the exact end is checked per row.
    horizon = now - relativedelta(months=settings.EXAM_ELIGIBILITY_MONTHS) + datetime.timedelta(days=4)
    candidates = (
        LevelApplication.objects.filter(status=ApplicationStatus.ACCEPTED_FOR_EXAM, accepted_at__lt=horizon)
        .order_by("pk").values_list("pk", flat=True)
    )
    return sum(_window_close(pk, now) for pk in list(candidates))
