"""Issuing certificates and every later change of their status; only these functions set it."""

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.models import Level
from applicants.dashboard import pages_changed
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    Renewal,
)
from certificates.models.renewals import RENEWAL_OPEN_STATUSES
from certificates.periods import today
from notifications.services import outbox_enqueue_template
from workflows.conflicts import decision_conflict_check
from workflows.numbers import number_next
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)

PROGRAMME_PREFIX = "PRG"


def _number(prefix: str, year: int) -> str:
    return f"IPMA-{prefix}-{year}-{number_next('certificates_certificate_number_seq'):06d}"


def _render_after_commit(certificate_id: int) -> None:
    from certificates.tasks import certificate_render_pdf

    try:
        certificate_render_pdf.delay(certificate_id=certificate_id)
    except Exception:  # the broker is away: the certificate is committed and the sweep renders it
        logger.warning("Could not queue the PDF of certificate %s; the sweep will render it", certificate_id,
                       exc_info=True)


def certificate_transition(*, certificate: Certificate, to_status: str, actor, note: str = "",
                           update_fields=()) -> CertificateEvent:
    """Move a locked certificate along the transitions table and write the event row."""
    certificate.status_changed_at = timezone.now()
    return transition(certificate, to_status, actor=actor, note=note,
                      update_fields=["status_changed_at", *update_fields])


def _notify(certificate: Certificate, *, key: str, template: str, context: dict | None = None) -> None:
    if certificate.holder_id is None:  # programme certificates: the organizations app tells its contacts
        return
    holder = certificate.holder
    outbox_enqueue_template(
        key=key, to=holder.email, template=f"certificates/email/{template}",
        context={"certificate": certificate, "holder": holder, **(context or {})},
        language=holder.preferred_language or None,
    )


def _create(*, kind: str, prefix: str, legal_name: str, valid_from: datetime.date, years: int, actor,
            source: str, note: str, **fields) -> Certificate:
    issued_on = today()
    certificate = Certificate.objects.create(
        number=_number(prefix, issued_on.year), kind=kind, legal_name=legal_name, issued_on=issued_on,
        valid_from=valid_from, expires_on=valid_from + relativedelta(years=years), source=source, **fields,
    )
    event_record(certificate, actor=actor, note=note, from_status="")
    transaction.on_commit(partial(_render_after_commit, certificate.pk))
    return certificate


def _clean_name(legal_name: str) -> str:
    name = " ".join((legal_name or "").split())
    if not name:
        raise ValidationError(_("The name to print on the certificate is missing."), code="no_name")
    return name


@transaction.atomic
def certificate_issue(*, user, level_code: str, legal_name: str, actor, source: str = "") -> Certificate:
    """Issue a level certificate to ``user`` in the caller's transaction; the PDF is rendered after commit.

    Idempotent per ``source`` (e.g. ``application:12``): issuing again returns the first certificate.
    A certificate the holder still has at that level is superseded by the new one.
    """
    if source:
        existing = Certificate.objects.filter(source=source).first()
        if existing is not None:
            return existing
    try:
        level = Level.objects.get(code=level_code)
    except Level.DoesNotExist:
        raise ValidationError(_("Unknown level %(code)s.") % {"code": level_code}, code="unknown_level") from None
    legal_name = _clean_name(legal_name)
    previous = (
        Certificate.objects.select_for_update()
        .filter(holder=user, level=level, status=CertificateStatus.ACTIVE)
        .first()
    )
    if previous is not None:
        certificate_transition(certificate=previous, to_status=CertificateStatus.SUPERSEDED, actor=actor,
                               note=_("Replaced by a new certificate at the same level."))
    certificate = _create(
        kind=CertificateKind.INDIVIDUAL, prefix=level.code, legal_name=legal_name, valid_from=today(),
        years=level.certificate_validity_years, actor=actor, source=source, note=source,
        holder=user, level=level, previous=previous,
    )
    _notify(certificate, key=f"certificate-issued:{certificate.pk}", template="issued")
    return certificate


@transaction.atomic
def certificate_issue_programme(*, organization_id: int, organization_name: str, programme_name: str,
                                actor) -> Certificate:
    """Issue the certificate of an accredited mentoring programme (the organizations app calls this).

    The programme's current certificate, if any, is superseded; the organizations app tells its contacts.
    """
    organization_name = _clean_name(organization_name)
    programme_name = " ".join((programme_name or "").split())
    if not programme_name:
        raise ValidationError(_("The programme's name is missing."), code="no_programme")
    previous = (
        Certificate.objects.select_for_update()
        .filter(organization_id=organization_id, programme_name=programme_name, status=CertificateStatus.ACTIVE)
        .first()
    )
    if previous is not None:
        certificate_transition(certificate=previous, to_status=CertificateStatus.SUPERSEDED, actor=actor,
                               note=_("Replaced by the programme's new certificate."))
    return _create(
        kind=CertificateKind.PROGRAMME, prefix=PROGRAMME_PREFIX, legal_name=organization_name,
        valid_from=today(), years=settings.CERTIFICATES_PROGRAMME_VALIDITY_YEARS, actor=actor, source="",
        note="", organization_id=organization_id, organization_name=organization_name,
        programme_name=programme_name, previous=previous,
    )


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update(of=("self",)).select_related("level", "holder").get(
        pk=certificate.pk
    )


@transaction.atomic
def certificate_supersede(*, certificate: Certificate, actor, note: str = "") -> Certificate:
    """Mark a certificate superseded (by a renewal or a re-issue)."""
    certificate = _locked(certificate)
    certificate_transition(certificate=certificate, to_status=CertificateStatus.SUPERSEDED, actor=actor, note=note)
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str, people: Iterable = ()) -> Certificate:
    """The committee withdraws a certificate; verification and the badge say so from now on.

    An open renewal of it is closed, and the holder is told why. ``people`` are the other parties the decision is
    about: a programme's certificate has no holder, and is withdrawn only with its accreditation, which names the
    organization's people (the decider may be none of them).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking the certificate."), code="no_reason")
    certificate = _locked(certificate)
    if certificate.is_programme and not people:
        raise ValidationError(_("A programme's certificate is withdrawn with its accreditation: revoke the "
                                "programme's accreditation instead."), code="programme_certificate")
    decision_conflict_check(decider=actor, person=certificate.holder, people=people)
    certificate.revocation_reason = reason
    certificate_transition(certificate=certificate, to_status=CertificateStatus.REVOKED, actor=actor, note=reason,
                           update_fields=["revocation_reason"])
    from certificates.services.renewals import renewal_close_for_revocation  # renewals builds on issuing

    for renewal in Renewal.objects.select_for_update().filter(certificate=certificate, status__in=RENEWAL_OPEN_STATUSES):
        renewal_close_for_revocation(renewal=renewal, actor=actor)
    _notify(certificate, key=f"certificate-revoked:{certificate.pk}", template="revoked", context={"reason": reason})
    return certificate


def certificates_expire(*, batch_size: int = 500) -> int:
    """Mark active certificates expired on their expiry day, with a notice to each holder (idempotent).

    Works in batches: one locking read, one update, one insert of events and one read for the mail per
    batch; a certificate another run holds is skipped, and a second run finds nothing left to do.
    """
    day = today()
    expired = 0
    while True:
        with transaction.atomic():
            ids = list(
                Certificate.objects.select_for_update(skip_locked=True)
                .filter(status=CertificateStatus.ACTIVE, expires_on__lte=day)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return expired
            now = timezone.now()
            Certificate.objects.filter(pk__in=ids, status=CertificateStatus.ACTIVE).update(
                status=CertificateStatus.EXPIRED, status_changed_at=now
            )
            pages_changed(Certificate.objects.filter(pk__in=ids).values_list("holder_id", flat=True))
            CertificateEvent.objects.bulk_create(
                CertificateEvent(certificate_id=pk, from_status=CertificateStatus.ACTIVE,
                                 to_status=CertificateStatus.EXPIRED, created_at=now,
                                 note=_("Expired at the end of its period."))
                for pk in ids
            )
            for certificate in Certificate.objects.filter(pk__in=ids).select_related("level", "holder"):
                _notify(certificate, key=f"certificate-expired:{certificate.pk}", template="expired",
                        context={"grace_ends_on": certificate.grace_ends_on,
                                 "grace_days": settings.CERTIFICATES_GRACE_DAYS})
            expired += len(ids)

