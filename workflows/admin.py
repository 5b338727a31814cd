"""The one page pattern for a committee decision in the admin, and the read-only history inline.

A ModelAdmin lists its :class:`Decision` objects; the mixin adds a "decide" URL per object, shows the
decisions that apply as buttons on the change page, renders one form (a reason, required where the
decision says so, plus any fields the decision's form adds) and calls the decision's service. Services
raise ``ValidationError`` for anything a person can fix; the page shows it and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ReasonForm(forms.Form):
    """A decision's reason; ``required`` per decision. Subclass it to ask for more (a reviewer, a date)."""

    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                           error_messages={"required": _("Give the reasons for this decision.")})

    def __init__(self, *args, obj=None, decision: Decision | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj
        if decision is not None:
            self.fields["note"].required = decision.reason_required
            if decision.reason_label:
                self.fields["note"].label = decision.reason_label
            if decision.reason_help:
                self.fields["note"].help_text = decision.reason_help


class NoteActionForm(ActionForm):
    """Beside a list's bulk actions: the note or reasons a decision needs (pass it to ``decide_in_bulk``)."""

    note = forms.CharField(label=_("Note or reasons"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


@dataclass(frozen=True)
class Decision:
    """One thing the committee may decide about an object.

    ``service(obj, actor, data)`` does it (``data`` is the form's cleaned data); ``applies(obj)`` says
    whether the object is in a state where this decision makes sense (usually ``obj.can_transition(...)``).
    """

    slug: str
    label: str
    service: Callable
    applies: Callable = lambda obj: True
    permission: str = ""
    reason_required: bool = False
    reason_label: str = ""
    reason_help: str = ""
    form_class: type[forms.Form] = ReasonForm
    bulk: bool = False
    extra: dict = field(default_factory=dict)


class DecisionAdminMixin:
    """Mix into a ``ModelAdmin`` whose ``decisions`` list the committee's decisions about its rows."""

    decisions: tuple[Decision, ...] = ()
    decide_template = "admin/workflows/decide.html"
    change_form_template = "admin/workflows/change_form.html"

    # ---- which decisions a person may take on an object ----

    def decision_allowed(self, request, obj, decision: Decision) -> bool:
        if decision.permission and not request.user.has_perm(decision.permission):
            return False
        return bool(decision.applies(obj))

    def decisions_for(self, request, obj) -> list[Decision]:
        return [decision for decision in self.decisions if self.decision_allowed(request, obj, decision)]

    def decision_context(self, request, obj, decision: Decision) -> dict:
        """Anything more the decide page should show (a checklist, scores); override per admin."""
        return {}

    # ---- URLs and pages ----

    def _decide_url_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_decide"

    def get_urls(self):
        return [
            path("<path:object_id>/decide/<slug:slug>/", self.admin_site.admin_view(self.decide_view),
                 name=self._decide_url_name()),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        buttons = []
        if obj is not None:
            buttons = [
                (reverse(f"admin:{self._decide_url_name()}", args=[obj.pk, decision.slug]), decision.label)
                for decision in self.decisions_for(request, obj)
            ]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "decisions": buttons})

    def decide_view(self, request, object_id, slug):
        decision = next((d for d in self.decisions if d.slug == slug), None)
        if decision is None or (decision.permission and not request.user.has_perm(decision.permission)):
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=object_id) if str(object_id).isdigit() else None
        if obj is None:
            raise PermissionDenied
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        # A POST binds the form even when empty (a decision with nothing to ask but the optional reason).
        form = decision.form_class(request.POST if request.method == "POST" else None, obj=obj, decision=decision)
        if request.method == "POST" and form.is_valid():
            if not self.decision_allowed(request, obj, decision):
                form.add_error(None, _("This decision no longer applies to %(object)s.") % {"object": obj})
            else:
                try:
                    decision.service(obj, request.user, form.cleaned_data)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, _("%(object)s: %(decision)s done.")
                                      % {"object": obj, "decision": decision.label}, messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        return TemplateResponse(request, self.decide_template, {
            **self.admin_site.each_context(request),
            "opts": opts, "original": obj, "form": form, "decision": decision,
            "title": f"{decision.label}: {obj}", "change_url": change_url,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            **self.decision_context(request, obj, decision),
        })

    def decide_in_bulk(self, request, queryset, slug: str, data: dict | None = None) -> None:
        """Apply one decision to each selected row through its service; refusals are listed, none forced."""
        decision = next(d for d in self.decisions if d.slug == slug)
        if decision.permission and not request.user.has_perm(decision.permission):
            raise PermissionDenied
        data = {"note": "", **(data or {})}
        done, refused = [], []
        for obj in queryset.order_by("pk"):
            if not self.decision_allowed(request, obj, decision):
                refused.append(_("%(object)s: %(decision)s does not apply.") % {"object": obj, "decision": decision.label})
                continue
            try:
                decision.service(obj, request.user, data)
            except ValidationError as error:
                refused.append(f"{obj}: {' '.join(error.messages)}")
            else:
                done.append(str(obj))
        if done:
            self.message_user(request, ngettext(
                "%(decision)s: %(count)d done (%(names)s).", "%(decision)s: %(count)d done (%(names)s).", len(done),
            ) % {"decision": decision.label, "count": len(done), "names": ", ".join(done)}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, _("Refused: %(line)s") % {"line": line}, messages.ERROR)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown beside their parent (documents, staff, referrals) that the admin only reads."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    """A workflow's history, read-only: the database refuses changes anyway, the admin does not offer them."""

    fields = ["created_at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model the committee reads in the admin but changes only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
