"""The public event pages, registration, joining, materials and the attendance certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from documents.responses import private_file_response
from events import services
from events.forms import EventFilterForm
from events.ical import calendar_bytes
from events.models import Registration, RegistrationStatus
from events.pdf import attendance_pdf
from events.selectors import (
    event_for_page,
    events_past,
    events_public,
    events_upcoming,
    join_allowed,
    materials_allowed,
    price_quote,
    registration_of,
    registrations_visible_to,
)
from events.services.billing import event_invoice
from events.services.registrations import refund_deadline
from ipma_portal.public_cache import public_page
from payments.selectors import membership_days, membership_status

PAST_SHOWN = 24


@public_page("events", models=["events.Series", "events.Event", "events.EventPrice", "events.Registration"])
def event_list(request):
    form = EventFilterForm(request.GET or None)
    upcoming, past = events_upcoming(), events_past()
    if form.is_valid():
        upcoming, past = form.filter(upcoming), form.filter(past)
    return render(request, "events/event_list.html", {
        "form": form, "upcoming": list(upcoming[:100]), "past": list(past[:PAST_SHOWN]),
    })


def _private(response):
    """A page that shows what only this viewer may see is never stored by a shared cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def event_detail(request, slug):
    event = event_for_page(slug)
    if event is None:
        raise Http404
    registration = registration_of(event, request.user)
    context = {
        "event": event,
        "quote": price_quote(event, user=request.user),
        "registration": registration,
        "can_join": join_allowed(registration),
        "materials": materials_allowed(event, request.user) if event.has_materials else False,
        "registration_open": event.registration_open(),
        "refund_deadline": refund_deadline(event),
        "invoice": event_invoice(registration) if registration and registration.price else None,
        "now": timezone.now(),
    }
    response = render(request, "events/event_detail.html", context)
    return _private(response) if request.user.is_authenticated else response


def event_programme(request, slug):
    event = event_for_page(slug)
    if event is None:
        raise Http404
    days: dict = {}
    for item in event.programme.all():
        local = timezone.localtime(item.starts_at, event.venue_zone)
        days.setdefault(local.date(), []).append(item)
    rooms = sorted({item.room for items in days.values() for item in items})
    return render(request, "events/event_programme.html", {"event": event, "days": days, "rooms": rooms})


def event_feed(request):
    events = events_public().exclude(status="cancelled").order_by("starts_at")[:500]
    response = HttpResponse(calendar_bytes(events, name=_("IPMA events")), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ipma-events.ics"'
    return response


@login_required
def event_register(request, slug):
    """GET: the price for this person today (and, for a lapsed member, the renewal offer); POST: register."""
    event = event_for_page(slug)
    if event is None:
        raise Http404
    quote = price_quote(event, user=request.user)
    lapsed = not quote.member and quote.member_saving > 0 and membership_days(user=request.user) > 0
    if request.method == "POST":
        try:
            registration = services.registration_create(event=event, person=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("events:detail", slug=event.slug)
        return _after_hold(request, registration)
    return _private(render(request, "events/event_register.html", {
        "event": event, "quote": quote, "lapsed": lapsed, "status": membership_status(user=request.user),
        "registration": registration_of(event, request.user), "refund_deadline": refund_deadline(event),
    }))


def _after_hold(request, registration):
    if registration.status == RegistrationStatus.PENDING_PAYMENT:
        invoice = event_invoice(registration)
        messages.success(request, _("Your place is held. Pay the invoice to confirm it."))
        return redirect("payments:invoice_detail", number=invoice.number)
    if registration.status == RegistrationStatus.WAITLISTED:
        messages.info(request, _("The event is full: you are on the waiting list."))
    else:
        messages.success(request, _("Your place is confirmed. A confirmation with a calendar file is on its way."))
    return redirect("events:detail", slug=registration.event.slug)


def _own(request, pk) -> Registration:
    return get_object_or_404(registrations_visible_to(request.user).filter(person=request.user)
                             .select_related("event"), pk=pk)


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = _own(request, pk)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", slug=registration.event.slug)


@login_required
@require_POST
def offer_accept(request, pk):
    registration = _own(request, pk)
    try:
        registration = services.offer_accept(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("events:detail", slug=registration.event.slug)
    return _after_hold(request, registration)


@never_cache
@login_required
def event_join(request, slug):
    """Send a confirmed registrant to the join link, only from 30 minutes before the start."""
    event = event_for_page(slug)
    if event is None:
        raise Http404
    registration = registration_of(event, request.user)
    if not join_allowed(registration):
        messages.error(request, _("The join link opens to confirmed registrants 30 minutes before the start."))
        return redirect("events:detail", slug=slug)
    return redirect(event.join_url)


@never_cache
@login_required
def event_slides(request, slug):
    event = event_for_page(slug)
    if event is None or not event.slides or not materials_allowed(event, request.user):
        raise Http404
    return private_file_response(event.slides, download_name=f"{event.slug}-slides{_ext(event.slides.name)}")


def _ext(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


@never_cache
@login_required
def attendance_certificate(request, pk):
    registration = get_object_or_404(registrations_visible_to(request.user).select_related("event", "person"),
                                     pk=pk, attended=True)
    response = HttpResponse(attendance_pdf(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attendance-{registration.event.slug}.pdf"'
    return response


def attendance_verify(request, code):
    registration = get_object_or_404(Registration.objects.select_related("event", "person"),
                                     certificate_code=code, attended=True)
    return render(request, "events/attendance_verify.html", {"registration": registration})
