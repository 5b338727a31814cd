"""The staff pages of every kind of organisation, one set parameterised by the scheme.

Each app routes them with ``{"scheme": "<label>"}`` (and may wrap them in its portal's own access check);
the organisation is looked up among ``scheme.portal_organisations(user)``, so outsiders get a 404 and
staff who are not owners are told no (403) when they try to change anything.
"""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.forms import InvitationForm
from staff.schemes import StaffScheme, scheme_for


def _scheme(label: str) -> StaffScheme:
    scheme = scheme_for(label)
    if scheme is None:
        raise Http404
    return scheme


@login_required
def staff_list(request, pk: int, *, scheme: str):
    scheme = _scheme(scheme)
    organisation = get_object_or_404(scheme.portal_organisations(request.user), pk=pk)
    role = scheme.role_of(user=request.user, organisation=organisation)
    is_owner = scheme.is_owner(user=request.user, organisation=organisation)
    form = InvitationForm(request.POST or None, scheme=scheme)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                scheme.invite(organisation=organisation, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect(scheme.page_url_name, organisation.pk)
    return render(request, "staff/staff_list.html", {
        "scheme": scheme, "organisation": organisation, scheme.context_name: organisation, "role": role,
        "members": scheme.members(organisation), "invitations": scheme.invitations_open(organisation),
        "form": form, "is_owner": is_owner, "role_labels": scheme.role_labels,
    })


@require_POST
@login_required
def member_remove(request, pk: int, *, scheme: str):
    scheme = _scheme(scheme)
    membership = get_object_or_404(
        scheme.Membership.objects.select_related("organisation", "user"),
        pk=pk, organisation__in=scheme.portal_organisations(request.user),
    )
    if not scheme.is_owner(user=request.user, organisation=membership.organisation):
        raise PermissionDenied
    try:
        scheme.member_remove(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was removed from the staff.") % {"name": membership.user})
    return redirect(scheme.page_url_name, membership.organisation_id)


@require_POST
@login_required
def invitation_revoke(request, pk: int, *, scheme: str):
    scheme = _scheme(scheme)
    invitation = get_object_or_404(
        scheme.Invitation.objects.select_related("organisation"),
        pk=pk, organisation__in=scheme.portal_organisations(request.user),
    )
    if not scheme.is_owner(user=request.user, organisation=invitation.organisation):
        raise PermissionDenied
    try:
        scheme.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect(scheme.page_url_name, invitation.organisation_id)


def invitation_accept(request, scheme: str, token: str):
    """The link in a staff invitation: accept it when signed in with that verified address, or sign up with it.

    Opening the link proves nothing about the visitor (anyone holding the link could open it), so signing up
    from it still needs the address confirmed by mail; the membership follows that confirmation.
    """
    staff_scheme = scheme_for(scheme)
    invitation = staff_scheme.invitation_from_token(token) if staff_scheme else None
    if invitation is None:
        return render(request, "staff/invitation_accept.html", {"invitation": None}, status=404)
    can_accept = request.user.is_authenticated and EmailAddress.objects.filter(
        user=request.user, email__iexact=invitation.email, verified=True
    ).exists()
    if request.method == "POST" and request.user.is_authenticated:
        try:
            staff_scheme.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You are now on the staff of %(name)s.") % {"name": invitation.organisation})
            return redirect(staff_scheme.home_url_name)
    return render(request, "staff/invitation_accept.html", {
        "invitation": invitation, "role_label": staff_scheme.role_label(invitation.role), "can_accept": can_accept,
    }, status=200 if can_accept or not request.user.is_authenticated else 403)
