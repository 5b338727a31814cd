from functools import lru_cache

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accreditation.models import Level
from applicants.dashboard import person_page
from content.shared_answers import SharedAnswers
from exams import eligibility, selectors, services
from exams.filters import SessionCalendarFilter
from exams.forms import ArrangementForm, BookingForm, CancelForm, RescheduleForm, WaitlistForm
from exams.models import BookingStatus, ExamResult, ExamSession, WaitlistStatus
from exams.services.mail import booking_ics
from ipma_portal.conditional import public_etag
from ipma_portal.public_cache import public_page
from payments.models import InvoiceStatus
from payments.selectors import invoice_for

CALENDAR_PAGE_SIZE = 25


def _error_message(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
@public_etag(selectors.CURRICULUM)
@public_page("curriculum", references=[selectors.CURRICULUM])
def curriculum(request):
    levels, rows = selectors.curriculum_table()
    return render(request, "exams/curriculum_table.html", {"levels": levels, "rows": rows})


@require_GET
@public_page("calendar", models=["exams.ExamSession", "exams.Booking", "exams.TestCentre", "exams.ExamWindow"],
             references=[selectors.CALENDAR_CHOICES])
def calendar(request):
    """One quarter at a time: the next one unless the visitor picks another (or "all quarters", paged)."""
    data = request.GET.copy()
    filterset = SessionCalendarFilter(data, queryset=selectors.calendar_sessions(),
                                      choices=selectors.calendar_filter_choices())
    quarters = [label for label, _name in filterset.filters["quarter"].extra["choices"]]
    if "quarter" not in data and quarters:
        data["quarter"] = quarters[0]
        filterset.data = data  # (an empty query was replaced by a new dict: bind the default explicitly)
    # An unknown filter value lists nothing (the form says why) rather than quietly listing everything.
    sessions = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(sessions, CALENDAR_PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(request, "exams/session_list.html", {
        "filter": filterset, "page": page, "sessions": page.object_list, "query": query.urlencode(),
        "quarter_links": _quarter_links(query, quarters),
    })


def _quarter_links(query, quarters: list[str]) -> dict[str, str]:
    """The query strings of the quarters before and after the one shown, with the other filters kept."""
    current = query.get("quarter", "")
    if current not in quarters:
        return {}
    index = quarters.index(current)
    links = {}
    for name, other in (("previous", index - 1), ("next", index + 1)):
        if 0 <= other < len(quarters):
            step = query.copy()
            step["quarter"] = quarters[other]
            links[name] = step.urlencode()
            links[f"{name}_label"] = quarters[other]
    return links


def _bookable_session(pk: int) -> ExamSession:
    return get_object_or_404(selectors.bookable_sessions(), pk=pk)


@lru_cache(maxsize=64)
def _waitlist_form_html(language: str, levels: tuple[tuple[int, str], ...]) -> str:
    """The empty waiting-list form of a session offering ``levels`` (pk, label), rendered by crispy once per
    process and language; the labels are part of the key, so a renamed level is rendered anew."""
    pks = [pk for pk, _label in levels]
    return as_crispy_form(WaitlistForm(levels=Level.objects.filter(pk__in=pks).order_by("rank")))


def _waitlist_form(session: ExamSession) -> str:
    # The session's levels from the levels kept in memory: the form costs no query once rendered.
    levels = selectors.offered_levels(session)
    field = WaitlistForm.base_fields["level"]
    return _waitlist_form_html(get_language(), tuple((level.pk, field.label_from_instance(level)) for level in levels))


# The refusal of a full session is the same page for every candidate who posts to it (the waiting list, no
# eligibility): under contention most posts are refusals, answered from the page kept per process.
FULL_SESSIONS = SharedAnswers("full-session")


def _session_full(request, session: ExamSession, *, keep: bool = True):
    """The answer to a booking of a full session: the message and the waiting list, nothing about eligibility.

    Kept for the next ones (``keep``) when the block watched has read only the session: not after a booking that
    lost the last seat meanwhile, whose reads are the booking's own."""
    messages.error(request, _("No seats left in this session."))

    def page():
        return render(request, "exams/session_book.html", {
            "session": session, "decisions": None, "waitlist_form_html": _waitlist_form(session),
        })

    return FULL_SESSIONS.render(request, page, until=session.starts_at.timestamp()) if keep else page()


@login_required
def session_book(request, pk: int):
    if request.method == "POST" and (kept := FULL_SESSIONS.answer(request, pk)) is not None:
        return kept
    with FULL_SESSIONS.watching(request):
        return _session_book(request, pk)


def _session_book(request, pk: int):
    session = _bookable_session(pk)
    levels = session.levels.order_by("rank")
    form = None
    if request.method == "POST":
        if session.seats_left == 0:
            # Most posts to a popular session arrive once it is full: refuse them from the row already read,
            # before any eligibility check, lock or invoice, and answer with the waiting list alone.
            return _session_full(request, session)
        form = BookingForm(request.POST, levels=levels)
        if form.is_valid():
            try:
                booking = services.booking_create(candidate=request.user, session=session,
                                                  level=form.cleaned_data["level"], needs=form.cleaned_data["needs"])
            except ValidationError as error:
                if getattr(error, "code", None) == "full":  # the last seat went meanwhile
                    session.refresh_from_db(fields=["seats_taken"])
                    return _session_full(request, session, keep=False)
                _error_message(request, error)
            else:
                messages.success(request,
                                 _("Your seat is booked. A confirmation with a calendar invitation is on its way."))
                return redirect("exams:booking_detail", pk=booking.pk)
    # The eligibility is read only for a page that shows it: not for a booking that succeeds or a full session.
    decisions = [eligibility.exam_eligibility(user=request.user, level=level) for level in levels]
    if form is None:
        bookable = [decision.level for decision in decisions if decision.eligible]
        # The one level the candidate may book is chosen for them; with several, they choose.
        form = BookingForm(levels=levels, initial={"level": bookable[0].pk} if len(bookable) == 1 else {})
    return render(request, "exams/session_book.html", {
        "session": session, "form": form, "decisions": decisions,
        "waitlist_form_html": _waitlist_form(session) if session.seats_left == 0 else None,
    })


@login_required
@require_POST
def session_waitlist_join(request, pk: int):
    session = _bookable_session(pk)
    form = WaitlistForm(request.POST, levels=session.levels.all())
    if form.is_valid():
        try:
            services.waitlist_join(session=session, candidate=request.user, level=form.cleaned_data["level"])
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("You are on the waiting list. If a seat comes free we offer it to you by email."))
            return redirect("exams:booking_list")
    return redirect("exams:session_book", pk=session.pk)


@login_required
@require_GET
@person_page
def booking_list(request):
    return render(request, "exams/booking_list.html", selectors.candidate_exams(request.user))


def _own_booking(request, pk: int):
    return get_object_or_404(selectors.bookings_visible_to(request.user).for_listing(), pk=pk)


@lru_cache(maxsize=16)
def _empty_form_html(form_class: type, language: str) -> str:
    """An empty form of the booking page, rendered by crispy once per process and language: it holds
    nothing of the candidate's (the CSRF token is outside it, in the template)."""
    return as_crispy_form(form_class())


@login_required
@require_GET
def booking_detail(request, pk: int):
    """The booking's page, where a booked seat lands: the two forms, the usual empty ones, come rendered."""
    booking = get_object_or_404(selectors.bookings_visible_to(request.user).for_detail(), pk=pk)
    needs = getattr(getattr(booking, "arrangement", None), "needs", "")
    # An unpaid seat links to its open invoice, where it is paid.
    invoice = (invoice_for(kind=booking.fee_kind, reference=booking.invoice_reference)
               if booking.status == BookingStatus.BOOKED and not booking.paid_at else None)
    if invoice is not None and invoice.status != InvoiceStatus.OPEN:
        invoice = None
    return render(request, "exams/booking_detail.html", {
        "booking": booking, "invoice": invoice, "cancel_form_html": _empty_form_html(CancelForm, get_language()),
        "arrangement_form_html": (as_crispy_form(ArrangementForm(initial={"needs": needs})) if needs
                                  else _empty_form_html(ArrangementForm, get_language())),
        "events": booking.events.order_by("created_at", "pk"),  # the history shows no session: none joined
    })


@login_required
@require_POST
def booking_cancel(request, pk: int):
    booking = _own_booking(request, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.booking_cancel(booking=booking, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Your booking is cancelled."))
    return redirect("exams:booking_detail", pk=booking.pk)


@login_required
def booking_reschedule(request, pk: int):
    booking = _own_booking(request, pk)
    if not booking.can_change:
        # Not a form that can only fail: the booking's page says why.
        if booking.status == BookingStatus.BOOKED:
            messages.error(request, _("Cancelling and rescheduling closed on %(deadline)s.") % {
                "deadline": formats.date_format(timezone.localtime(booking.change_deadline), "DATETIME_FORMAT")})
        else:
            messages.error(request, _("Only a booked seat can be moved to another session."))
        return redirect("exams:booking_detail", pk=booking.pk)
    form = RescheduleForm(request.POST or None, sessions=selectors.reschedule_options(booking))
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_reschedule(booking=booking, to_session=form.cleaned_data["session"], actor=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("Your booking has moved. A new calendar invitation is on its way."))
            return redirect("exams:booking_detail", pk=booking.pk)
    return render(request, "exams/booking_reschedule.html", {"booking": booking, "form": form})


@login_required
@require_POST
def booking_arrangements(request, pk: int):
    booking = _own_booking(request, pk)
    form = ArrangementForm(request.POST)
    if form.is_valid():
        try:
            services.arrangement_request(booking=booking, needs=form.cleaned_data["needs"], actor=request.user)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("Your request for special arrangements was sent to the committee."))
    else:
        messages.error(request, _("Describe what you need."))
    return redirect("exams:booking_detail", pk=booking.pk)


@login_required
@require_GET
def booking_calendar_file(request, pk: int):
    booking = _own_booking(request, pk)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ipma-exam-{booking.pk}.ics"'
    return response


def _own_waitlist_entry(request, pk: int):
    return get_object_or_404(selectors.waitlist_visible_to(request.user).select_related("session", "level"), pk=pk)


@login_required
@require_POST
def waitlist_accept(request, pk: int):
    entry = _own_waitlist_entry(request, pk)
    try:
        booking = services.waitlist_offer_accept(entry=entry, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
        return redirect("exams:booking_list")
    messages.success(request, _("The seat is yours. A confirmation with a calendar invitation is on its way."))
    return redirect("exams:booking_detail", pk=booking.pk)


@login_required
@require_POST
def waitlist_leave(request, pk: int):
    entry = _own_waitlist_entry(request, pk)
    try:
        services.waitlist_leave(entry=entry, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("You have left the waiting list.") if entry.status == WaitlistStatus.WAITING
                         else _("You declined the seat; it goes to the next person waiting."))
    return redirect("exams:booking_list")


@login_required
@require_GET
def result_detail(request, pk: int):
    try:
        result = selectors.result_with_scores(request.user, pk)
    except ExamResult.DoesNotExist:
        raise Http404 from None
    return render(request, "exams/result_detail.html", {"result": result, "booking": result.booking})
