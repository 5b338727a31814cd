"""Sponsorship pages: the employer's list and invitations, and the employee's acceptance, choices and ending."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import selectors, services
from organizations.forms import SponsorshipInviteForm, SponsorshipSharesForm
from organizations.models import Sponsorship
from organizations.progress import sponsored_progress
from payments.selectors import sponsor_charges_open, sponsor_charges_total, sponsor_invoices


def _organization(request, pk: int):
    return get_object_or_404(selectors.organizations_for_staff(request.user), pk=pk)


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
def sponsorship_list(request, pk: int):
    """The organization's sponsored people with their progress (as each chose), and this month's charges."""
    organization = _organization(request, pk)
    form = SponsorshipInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        covers = {name: value for name, value in form.cleaned_data.items() if name != "email"}
        try:
            services.sponsorship_invite(organization=organization, actor=request.user,
                                        email=form.cleaned_data["email"], covers=covers)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(email)s was invited.") % {"email": form.cleaned_data["email"]})
            return redirect("organizations:sponsorships", pk=organization.pk)
    key = services.sponsor_key(organization)
    return render(request, "organizations/sponsorship_list.html", {
        "organization": organization, "form": form, "rows": sponsored_progress(organization),
        "charges": list(sponsor_charges_open(sponsor_key=key)), "total": sponsor_charges_total(sponsor_key=key),
        "invoices": list(sponsor_invoices(sponsor_key=key)[:12]),
    })


@require_POST
@login_required
def sponsorship_end_by_organization(request, pk: int):
    sponsorship = get_object_or_404(
        Sponsorship.objects.filter(organization__in=selectors.organizations_for_staff(request.user)), pk=pk)
    try:
        services.sponsorship_end(sponsorship=sponsorship, actor=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The sponsorship of %(email)s has ended.") % {"email": sponsorship.email})
    return redirect("organizations:sponsorships", pk=sponsorship.organization_id)


@login_required
def sponsorship_accept(request, pk: int):
    """The invited person accepts on their own account, choosing what the organization may see."""
    sponsorship = get_object_or_404(selectors.sponsorship_invitations(user=request.user), pk=pk)
    form = SponsorshipSharesForm(request.POST or None, instance=sponsorship)
    if request.method == "POST" and form.is_valid():
        try:
            services.sponsorship_accept(sponsorship=sponsorship, user=request.user, shares=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(organization)s now sponsors you.")
                             % {"organization": sponsorship.organization.legal_name})
            return redirect("organizations:my_sponsorship", pk=sponsorship.pk)
    return render(request, "organizations/sponsorship_accept.html", {"sponsorship": sponsorship, "form": form})


@login_required
def my_sponsorship(request, pk: int):
    """The sponsored person's own page: what is shared (changeable) and the way to end it."""
    sponsorship = get_object_or_404(selectors.sponsorships_of(user=request.user), pk=pk)
    form = SponsorshipSharesForm(request.POST or None, instance=sponsorship)
    if request.method == "POST" and form.is_valid():
        services.sponsorship_shares_update(sponsorship=sponsorship, user=request.user, shares=form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect("organizations:my_sponsorship", pk=sponsorship.pk)
    return render(request, "organizations/sponsorship_mine.html", {"sponsorship": sponsorship, "form": form})


@require_POST
@login_required
def my_sponsorship_end(request, pk: int):
    sponsorship = get_object_or_404(selectors.sponsorships_of(user=request.user), pk=pk)
    services.sponsorship_end(sponsorship=sponsorship, actor=request.user)
    messages.success(request, _("The sponsorship has ended: your next fees are yours to pay."))
    return redirect("applicants:dashboard")
