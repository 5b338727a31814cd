"""The periodic notices: renewal reminders before expiry and the permanent-membership invitation.

Both work in batches (a fixed number of queries per batch plus the outbox's per message), and both
are idempotent through unique rows: a reminder row per (certificate, days before), a check row per
person, and the outbox's unique key per message.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from certificates.models import (
    RENEWAL_OPEN_STATUSES,
    Certificate,
    CertificateKind,
    CertificateStatus,
    MembershipUpgradeCheck,
    Renewal,
    RenewalReminder,
)
from certificates.periods import today
from certificates.selectors import pdu_required, pdu_totals
from notifications.services import OutboxDraft, outbox_enqueue_many, outbox_enqueue_template
from payments.selectors import membership_status

logger = logging.getLogger(__name__)


def reminder_windows(days: list[int]) -> list[tuple[int, int]]:
    """(days before, next smaller days before): the N-day reminder is due while expiry is in (next, N] days.

    A run that was missed catches up, but only with the latest reminder: a certificate already
    within 30 days gets the 30-day reminder, not the 90-day one as well.
    """
    ordered = sorted(set(days), reverse=True)
    return [(n, ordered[index + 1] if index + 1 < len(ordered) else 0) for index, n in enumerate(ordered)]


_CLAIM_SQL = (
    "INSERT INTO certificates_renewalreminder (certificate_id, days_before, created_at) "
    "SELECT unnest(%s::bigint[]), %s, %s "
    "ON CONFLICT (certificate_id, days_before) DO NOTHING RETURNING certificate_id"
)


def _claim(certificate_ids: list[int], days_before: int) -> set[int]:
    """Insert the reminder rows; the ones this run inserted (not another run) are returned, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [certificate_ids, days_before, timezone.now()])
        return {row[0] for row in cursor.fetchall()}


def renewal_reminders_send(*, batch_size: int = 1000) -> int:
    """Remind holders 90, 30 and 7 days (CERTIFICATES_REMINDER_DAYS) before expiry; returns reminders sent.

    Per batch: one read of the due certificates (holder's email and language joined in), one insert of
    reminder rows, one sum of PDUs, one insert of the outbox messages. Certificates with an open
    renewal are not reminded.
    """
    day = today()
    sent = 0
    open_renewal = Renewal.objects.filter(certificate=OuterRef("pk"), status__in=RENEWAL_OPEN_STATUSES)
    for days_before, next_days in reminder_windows(settings.CERTIFICATES_REMINDER_DAYS):
        already = RenewalReminder.objects.filter(certificate=OuterRef("pk"), days_before=days_before)
        due = (
            Certificate.objects.filter(
                kind=CertificateKind.INDIVIDUAL, status=CertificateStatus.ACTIVE,
                expires_on__gt=day + datetime.timedelta(days=next_days),
                expires_on__lte=day + datetime.timedelta(days=days_before),
            )
            .filter(~Exists(already), ~Exists(open_renewal))
            .select_related("level", "holder")
            .only("pk", "number", "legal_name", "expires_on", "level__code", "level__name",
                  "holder__email", "holder__preferred_language")
            .order_by("pk")
        )
        last_pk = 0
        while True:
            batch = list(due.filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            with transaction.atomic():
                claimed = _claim([certificate.pk for certificate in batch], days_before)
                totals = pdu_totals(claimed) if claimed else {}
                drafts = [
                    OutboxDraft(
                        key=f"certificate-reminder:{certificate.pk}:{days_before}",
                        to=certificate.holder.email,
                        template="certificates/email/renewal_reminder",
                        context={
                            "certificate": certificate, "days": (certificate.expires_on - day).days,
                            "pdus": totals.get(certificate.pk, (0, 0))[0],
                            "pdus_required": pdu_required(certificate.level.code),
                            "grace_days": settings.CERTIFICATES_GRACE_DAYS,
                        },
                        language=certificate.holder.preferred_language or None,
                    )
                    for certificate in batch if certificate.pk in claimed
                ]
                outbox_enqueue_many(drafts)  # one insert for the batch
                sent += len(drafts)
    return sent


def membership_upgrade_notices_send(*, batch_size: int = 500) -> int:
    """Tell members once, when they first may buy the permanent membership upgrade; returns people told.

    Membership is read through ``payments.selectors.membership_status``. A person is looked at again
    only when they could have qualified.
    """
    day = today()
    user_model = get_user_model()
    check = MembershipUpgradeCheck.objects.filter(user=OuterRef("pk"))
    due_check = check.filter(next_check_on__lte=day)
    due = (
        user_model.objects.filter(is_active=True)
        .filter(~Exists(check) | Exists(due_check))
        .only("pk", "email", "full_name", "preferred_language")
        .order_by("pk")
    )
    told = 0
    last_pk = 0
    while True:
        people = list(due.filter(pk__gt=last_pk)[:batch_size])
        if not people:
            return told
        last_pk = people[-1].pk
        with transaction.atomic():
            rows = []
            for person in people:
                status = membership_status(user=person, on=day)
                row = MembershipUpgradeCheck(user=person, checked_at=timezone.now())
                if status.upgrade_allowed:
                    row.notified_on, row.next_check_on = day, None
                    outbox_enqueue_template(
                        key=f"membership-upgrade-eligible:{person.pk}", to=person.email,
                        template="certificates/email/membership_upgrade",
                        context={"person": person, "years": getattr(settings, "PAYMENTS_MEMBERSHIP_UPGRADE_AFTER_YEARS", 5)},
                        language=person.preferred_language or None,
                    )
                    told += 1
                elif status.is_permanent:
                    row.next_check_on = None
                else:
                    # Membership days grow by at most one a day: nobody qualifies sooner than this.
                    row.next_check_on = day + datetime.timedelta(days=max(1, status.days_required - status.days))
                rows.append(row)
            MembershipUpgradeCheck.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["user"],
                update_fields=["next_check_on", "notified_on", "checked_at"],
            )
