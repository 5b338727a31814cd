"""The public directory at /directory/: mentors (opt-in), accredited programmes, approved QTSPs."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from accreditation.selectors import levels_in_order
from ipma_portal.public_cache import public_page
from organizations import selectors, services
from organizations.forms import ContactForm, DirectoryFilterForm, ListingForm
from organizations.models import DirectoryListing

# Which filters each list takes (the others do not apply to it and are not offered there).
SECTION_FILTERS = {
    "mentors": ("q", "level", "country", "language", "sector"),
    "programmes": ("q", "country", "sector"),
    "qtsps": ("q", "level", "country"),
}
SECTION_QUERIES = {
    "mentors": selectors.directory_mentors,
    "programmes": selectors.directory_programmes,
    "qtsps": selectors.directory_qtsps,
}


@public_page("directory", models=[
    "organizations.DirectoryListing", "organizations.Organization", "organizations.Programme",
    "organizations.ProgrammeApplication", "certificates.Certificate", "partners.QTSP", "partners.TrainingProgramme",
    "accreditation.Level",
])
def directory(request):
    form = DirectoryFilterForm(request.GET or None, levels=levels_in_order())
    section = form.section
    filters = {}
    if form.is_valid():
        filters = {name: form.cleaned_data[name] for name in SECTION_FILTERS[section] if form.cleaned_data[name]}
    rows = SECTION_QUERIES[section](**filters)
    page = Paginator(rows, settings.ORGANIZATIONS_DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizations/directory_list.html", {
        "form": form, "section": section, "sections": DirectoryFilterForm.SHOW_CHOICES,
        "filter_names": SECTION_FILTERS[section], "page": page,
        "query": query.urlencode(), "filtered": bool(filters),
    })


def mentor_detail(request, pk: int):
    """A mentor's public profile and the contact form; the mentor's email address never reaches the page."""
    try:
        listing = selectors.directory_mentor(pk=pk)
    except DirectoryListing.DoesNotExist as exc:
        raise Http404 from exc
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if is_ratelimited(request, group="organizations.directory_contact", key="ip",
                          rate=settings.ORGANIZATIONS_DIRECTORY_CONTACT_RATE, method="POST", increment=True):
            return render(request, "organizations/directory_rate_limited.html", {"listing": listing}, status=429)
        if form.is_valid():
            try:
                services.directory_message_send(listing=listing, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your message was sent to %(name)s, who can answer you by email.")
                                 % {"name": listing.display_name})
                return redirect("organizations:mentor", pk=listing.pk)
    return render(request, "organizations/listing_detail.html", {"listing": listing, "form": form})


@login_required
def listing_edit(request):
    """The mentor's own directory entry: opt in or out, and what visitors see."""
    listing = DirectoryListing.objects.filter(user=request.user).first()
    initial = {}
    if listing is None:
        initial = {"display_name": request.user.full_name}
        profile = getattr(request.user, "profile", None)
        if profile is not None:
            initial.update(country=profile.country, city=profile.city, languages=profile.languages)
    form = ListingForm(request.POST or None, instance=listing, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_save(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your directory entry is saved."))
            return redirect("organizations:listing_edit")
    listed = listing is not None and selectors.directory_mentors().filter(pk=listing.pk).exists()
    return render(request, "organizations/listing_form.html", {"form": form, "listing": listing, "listed": listed})
