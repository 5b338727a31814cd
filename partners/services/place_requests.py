"""Places asked for from the training finder: a person requests, the QTSP accepts (enrolling them) or declines.

The person consents to enrolment when they ask; accepting takes the place with the same conditional UPDATE as
the roster (``seats_take``), so simultaneous acceptances never fill a cohort beyond its places.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from partners.finder import finder_cohorts
from partners.models import Cohort, Enrolment, PlaceRequest
from partners.services.qtsps import qtsp_require_active
from partners.services.rosters import seats_take
from workflows.services import event_record, transition


@transaction.atomic
def place_request_create(*, cohort: Cohort, person, consent: bool, message: str = "") -> PlaceRequest:
    """Ask the cohort's QTSP for a place; ``consent`` to be enrolled (and to share name and address) is required."""
    if not consent:
        raise ValidationError(_("Agree to be enrolled if the QTSP accepts you; it will see your name and address."))
    if not finder_cohorts().filter(pk=cohort.pk).exists():
        raise ValidationError(_("This cohort no longer takes requests."))
    if not Cohort.objects.filter(pk=cohort.pk, seats_taken__lt=F("capacity")).exists():
        raise ValidationError(_("No places left on this cohort."))
    on_roster = cohort.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).filter(email__iexact=person.email)
    if on_roster.exists():
        raise ValidationError(_("You are already on this cohort's roster."))
    try:
        with transaction.atomic():
            place_request = PlaceRequest.objects.create(
                cohort=cohort, person=person, message=message.strip(), consented_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already asked for a place on this cohort.")) from exc
    event_record(place_request, actor=person, from_status="")
    qtsp = cohort.programme.qtsp
    outbox_enqueue_template(
        key=f"place-requested:{place_request.pk}",
        to=qtsp.contact_email,
        template="partners/email/place_requested",
        context={"place_request": place_request, "cohort": cohort, "qtsp": qtsp,
                 "portal_url": reverse("partners:place_requests", kwargs={"qtsp_id": qtsp.pk})},
    )
    return place_request


def _locked(place_request: PlaceRequest) -> PlaceRequest:
    return (PlaceRequest.objects.select_for_update(of=("self",))
            .select_related("cohort__programme__qtsp", "person").get(pk=place_request.pk))


def _tell(place_request: PlaceRequest, event, note: str = "") -> None:
    outbox_enqueue_template(
        key=f"place-request:{place_request.pk}:{event.pk}",
        to=place_request.person.email,
        template=f"partners/email/place_{place_request.status}",
        context={"place_request": place_request, "cohort": place_request.cohort,
                 "qtsp": place_request.cohort.programme.qtsp, "note": note,
                 "dashboard_url": reverse("applicants:dashboard")},
    )


@transaction.atomic
def place_request_accept(*, place_request: PlaceRequest, actor) -> PlaceRequest:
    """Enrol the person (who consented when asking) on the cohort's roster, taking one place."""
    place_request = _locked(place_request)
    cohort = place_request.cohort
    qtsp_require_active(cohort.programme.qtsp)
    place_request.check_transition(PlaceRequest.Status.ACCEPTED)
    person = place_request.person
    if cohort.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).filter(email__iexact=person.email).exists():
        raise ValidationError(_("%(email)s is already on this roster.") % {"email": person.email})
    seats_take(cohort, 1)
    # The person consented to enrolment when they asked: their record is theirs (and counts) from now on,
    # without the invitation a QTSP's own additions wait for.
    place_request.enrolment = Enrolment.objects.create(
        cohort=cohort, trainee=person, email=person.email.lower(), full_name=person.full_name, added_by=actor,
        accepted_at=place_request.consented_at,
    )
    place_request.decided_at = timezone.now()
    event = transition(place_request, PlaceRequest.Status.ACCEPTED, actor=actor,
                       update_fields=["enrolment", "decided_at"])
    _tell(place_request, event)
    return place_request


@transaction.atomic
def place_request_decline(*, place_request: PlaceRequest, actor, note: str = "") -> PlaceRequest:
    place_request = _locked(place_request)
    qtsp_require_active(place_request.cohort.programme.qtsp)
    place_request.decided_at = timezone.now()
    event = transition(place_request, PlaceRequest.Status.DECLINED, actor=actor, note=note.strip(),
                       update_fields=["decided_at"])
    _tell(place_request, event, note.strip())
    return place_request


@transaction.atomic
def place_request_withdraw(*, place_request: PlaceRequest, actor) -> PlaceRequest:
    """The person takes back a request the QTSP has not answered yet."""
    place_request = _locked(place_request)
    if place_request.person_id != actor.pk:
        raise ValidationError(_("Only the person who asked can withdraw the request."))
    transition(place_request, PlaceRequest.Status.WITHDRAWN, actor=actor)
    return place_request
