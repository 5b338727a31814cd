"""Registering, paying, the waiting list, releasing unpaid places and cancelling.

Lock order, everywhere: the person's user row first, then the registration row, then the event row
(only through the one conditional UPDATE in ``place_take`` / ``place_give_back``). Two transactions
therefore never wait on each other in a circle.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import LIVE, Event, EventStatus, Registration, RegistrationStatus
from events.selectors import price_quote
from events.services import billing, mail
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)
RS = RegistrationStatus


# Places ---------------------------------------------------------------------------------------


def place_take(*, event_id: int) -> bool:
    """Take one place if one is left; False when full. One statement, so the database arbitrates races."""
    return Event.objects.filter(
        Q(capacity__isnull=True) | Q(places_taken__lt=F("capacity")), pk=event_id, status=EventStatus.PUBLISHED,
    ).update(places_taken=F("places_taken") + 1) == 1


def place_give_back(*, event_id: int) -> Registration | None:
    """A place came free: offer it to the first in line (returned, the place stays counted), else free it."""
    entry = (
        # of=("self",): locking the joined event row too would make every concurrent release skip
        # every entry (skip_locked applies to all locked rows of the join) and free the place instead.
        Registration.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(event_id=event_id, status=RS.WAITLISTED, event__status=EventStatus.PUBLISHED,
                event__starts_at__gt=timezone.now())
        .select_related("event", "person").order_by("created_at", "pk").first()
    )
    if entry is not None:
        _offer(entry)
        return entry
    Event.objects.filter(pk=event_id, places_taken__gt=0).update(places_taken=F("places_taken") - 1)
    return None


def _offer(entry: Registration) -> None:
    now = timezone.now()
    entry.offer_expires_at = min(now + datetime.timedelta(hours=settings.EVENTS_WAITLIST_OFFER_HOURS),
                                 entry.event.starts_at)
    transition(entry, RS.OFFERED, actor=None, update_fields=["offer_expires_at"],
               note=_("A place came free and is held for this person."))
    mail.waitlist_offered(entry)


# Registering ----------------------------------------------------------------------------------


def _person_lock(person) -> None:
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()


def _create(event: Event, person, status: str, *, quote, note: str = "") -> Registration:
    registration = Registration(event=event, person=person, status="", price=quote.amount,
                                member_pricing=quote.member)
    registration.check_transition(status)
    registration.status = status
    if status == RS.CONFIRMED:
        registration.confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ValidationError(_("You are already registered for this event."), code="duplicate") from None
    event_record(registration, actor=person, from_status="", note=note)
    return registration


def _hold(registration: Registration, *, actor) -> None:
    """The place is held: confirm a free registration, or raise the invoice for a priced one."""
    if registration.price == 0:
        registration.confirmed_at = timezone.now()
        if registration.status != RS.CONFIRMED:
            transition(registration, RS.CONFIRMED, actor=actor, update_fields=["confirmed_at"])
        mail.registration_confirmed(registration)
        return
    registration.held_at = timezone.now()
    if registration.status != RS.PENDING_PAYMENT:
        transition(registration, RS.PENDING_PAYMENT, actor=actor, update_fields=["held_at"])
    else:
        registration.save(update_fields=["held_at"])
    billing.event_invoice_raise(registration=registration, actor=actor)


@transaction.atomic
def registration_create(*, event: Event, person, waitlist: bool = True) -> Registration:
    """Register ``person``: a place if one is left (confirmed if free, awaiting payment if priced),
    else a place on the waiting list. The price is the one for the person on the day of registration.
    """
    _person_lock(person)
    event = Event.objects.get(pk=event.pk)
    if not event.registration_open():
        raise ValidationError(_("Registration for this event is not open."), code="closed")
    if Registration.objects.filter(event=event, person=person, status__in=LIVE).exists():
        raise ValidationError(_("You are already registered for this event."), code="duplicate")
    quote = price_quote(event, user=person)
    if place_take(event_id=event.pk):
        initial = RS.CONFIRMED if quote.is_free else RS.PENDING_PAYMENT
        registration = _create(event, person, initial, quote=quote)
        _hold(registration, actor=person)
        return registration
    if not waitlist:
        raise ValidationError(_("No places are left for this event."), code="full")
    registration = _create(event, person, RS.WAITLISTED, quote=quote)
    mail.waitlist_joined(registration)
    return registration


def _locked(registration_id: int) -> Registration:
    return Registration.objects.select_for_update(of=("self",)).select_related("event", "person").get(
        pk=registration_id)


@transaction.atomic
def offer_accept(*, registration: Registration, actor) -> Registration:
    """The person takes the place offered from the waiting list (re-priced for them today)."""
    _person_lock(actor)
    registration = _locked(registration.pk)
    if registration.person_id != actor.pk:
        raise ValidationError(_("This offer is not yours."), code="not_owner")
    if registration.status != RS.OFFERED or registration.offer_expires_at <= timezone.now():
        raise ValidationError(_("This offer is no longer open."), code="offer_closed")
    quote = price_quote(registration.event, user=actor)
    registration.price, registration.member_pricing = quote.amount, quote.member
    registration.save(update_fields=["price", "member_pricing"])
    _hold(registration, actor=actor)
    return registration


def registration_payment_received(*, registration_id: int) -> Registration | None:
    """The registration's invoice was paid: confirm it (safe to call again)."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update(of=("self",)).select_related(
            "event", "person").filter(pk=registration_id).first()
        if registration is None:
            logger.warning("Paid event invoice for registration %s, which does not exist", registration_id)
            return None
        if registration.status == RS.CONFIRMED:
            return registration
        if registration.status != RS.PENDING_PAYMENT:
            logger.warning("Registration %s was paid while %s; staff should refund it", registration_id,
                           registration.status)
            event_record(registration, actor=None, note=_("Paid after it stopped holding a place: refund it."))
            return registration
        registration.confirmed_at = timezone.now()
        transition(registration, RS.CONFIRMED, actor=None, update_fields=["confirmed_at"],
                   note=_("The invoice was paid."))
        mail.registration_confirmed(registration)
        return registration


# Cancelling -----------------------------------------------------------------------------------


def refund_deadline(event: Event) -> datetime.datetime:
    return event.starts_at - datetime.timedelta(hours=settings.EVENTS_REFUND_DEADLINE_HOURS)


@transaction.atomic
def registration_cancel(*, registration: Registration, actor, note: str = "") -> Registration:
    """Cancel; a paid place is refunded before the deadline (``EVENTS_REFUND_DEADLINE_HOURS``), not after.

    The person cancels until the event starts; after that only staff do (a correction).
    """
    registration = _locked(registration.pk)
    if registration.person_id != actor.pk and not actor.is_staff:
        raise ValidationError(_("This registration is not yours."), code="not_owner")
    if not actor.is_staff and timezone.now() >= registration.event.starts_at:
        # Past the start the place was used (or not): attendance, PDUs and the fee stand as they are.
        raise ValidationError(_("The event has started: the registration can no longer be cancelled."),
                              code="started")
    held = registration.holds_place
    previous = registration.status
    registration.cancelled_at = timezone.now()
    transition(registration, RS.CANCELLED, actor=actor, note=note, update_fields=["cancelled_at"])
    if previous == RS.PENDING_PAYMENT:
        billing.event_invoice_void(registration=registration, actor=actor, note=_("Registration cancelled."))
    elif previous == RS.CONFIRMED and registration.price > 0:
        if timezone.now() < refund_deadline(registration.event):
            billing.event_invoice_refund(registration=registration, actor=actor,
                                         reason=_("Registration cancelled before the refund deadline."))
        else:
            event_record(registration, actor=actor, note=_("Cancelled after the refund deadline: no refund."))
    if held:
        place_give_back(event_id=registration.event_id)
    mail.registration_cancelled(registration)
    return registration


# Periodic jobs --------------------------------------------------------------------------------


def _each_locked(ids, status: str, job) -> int:
    done = 0
    for pk in ids:
        try:
            with transaction.atomic():
                registration = (Registration.objects.select_for_update(of=("self",), skip_locked=True)
                                .select_related("event", "person").filter(pk=pk, status=status).first())
                if registration is None:
                    continue
                job(registration)
        except Exception:
            # One row that fails must not stop the others; it is tried again on the next run.
            logger.exception("Periodic job on event registration %s failed", pk)
            continue
        done += 1
    return done


def registrations_release_unpaid(*, now: datetime.datetime | None = None) -> int:
    """Release places whose invoice is still unpaid ``EVENTS_UNPAID_RELEASE_HOURS`` after it was held."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.EVENTS_UNPAID_RELEASE_HOURS)
    ids = list(Registration.objects.filter(status=RS.PENDING_PAYMENT, held_at__lte=cutoff)
               .order_by("held_at").values_list("pk", flat=True))

    def release(registration):
        invoice = billing.event_invoice(registration)
        if invoice is not None and invoice.status == "paid":
            registration_payment_received(registration_id=registration.pk)  # the signal was missed
            return
        billing.event_invoice_void(registration=registration, actor=None,
                                   note=_("Unpaid in time: the place was released."))
        transition(registration, RS.RELEASED, actor=None, note=_("Unpaid in time: the place was released."))
        place_give_back(event_id=registration.event_id)
        mail.registration_released(registration)

    return _each_locked(ids, RS.PENDING_PAYMENT, release)


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Offers not taken in time lapse; the place goes to the next in line."""
    ids = list(Registration.objects.filter(status=RS.OFFERED, offer_expires_at__lte=now or timezone.now())
               .order_by("offer_expires_at").values_list("pk", flat=True))

    def expire(registration):
        transition(registration, RS.EXPIRED, actor=None, note=_("The offer was not taken in time."))
        mail.waitlist_offer_expired(registration)
        place_give_back(event_id=registration.event_id)

    return _each_locked(ids, RS.OFFERED, expire)
