"""The one page pattern for a committee decision in the admin, and the read-only history inline.

A ModelAdmin lists its :class:`Decision` objects; the mixin adds a "decide" URL per object, shows the
decisions that apply as buttons on the change page, renders one form (a reason, required where the
decision says so, plus any fields the decision's form adds) and calls the decision's service. Services
raise ``ValidationError`` for anything a person can fix; the page shows it and nothing changes.

Every decision is about someone (``Decision.person`` or the admin's ``decision_person``): when the
conflict-of-interest policy (``workflows.conflicts``) finds the person deciding conflicted, the change
page offers no decision, the decide URL refuses with the reason and a bulk action skips the row, saying why.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from urllib.parse import quote as url_quote

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.contrib.admin.utils import get_fields_from_path, quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.db.models.fields import PositiveIntegerRelDbTypeMixin
from django.db.models.functions import Trunc
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from audit.sites import ReadOnlyMixin
from ipma_portal import table_versions
from workflows import proposals, search
from workflows.conflicts import decision_conflicts
from workflows.models import Proposal, ProposalEvent, ProposalStatus


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
    whether the object is in a state where this decision makes sense (usually ``obj.can_transition(...)``);
    ``person(obj)`` is whom it is about (a user, an iterable of users, or None; default: the admin's
    ``decision_person``); ``actor_allowed(obj, user)`` narrows who may take it (e.g. not the proposer).
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
    person: Callable | None = None
    actor_allowed: Callable = lambda obj, user: True


class DecisionAdminMixin:
    """Mix into a ``ModelAdmin`` whose ``decisions`` list the committee's decisions about its rows."""

    decisions: tuple[Decision, ...] = ()
    decide_template = "admin/workflows/decide.html"
    change_form_template = "admin/workflows/change_form.html"

    # ---- which decisions a person may take on an object ----

    def decision_person(self, obj):
        """Whom this admin's decisions are about (a user, several, or None); override per admin."""
        return None

    def decision_conflict(self, request, obj, decision: Decision | None = None) -> str | None:
        """The conflict-of-interest reason that keeps ``request.user`` from this decision, or None."""
        people = (decision.person if decision is not None and decision.person else self.decision_person)(obj)
        if people is None or hasattr(people, "pk"):
            people = [people]
        return decision_conflicts(decider=request.user, people=people)

    def decision_allowed(self, request, obj, decision: Decision) -> bool:
        if decision.permission and not request.user.has_perm(decision.permission):
            return False
        return bool(decision.applies(obj)) and bool(decision.actor_allowed(obj, request.user))

    def decisions_for(self, request, obj) -> list[Decision]:
        return [decision for decision in self.decisions
                if self.decision_allowed(request, obj, decision) and not self.decision_conflict(request, obj, decision)]

    def decision_context(self, request, obj, decision: Decision) -> dict:
        """Anything more the decide page should show (a checklist, scores); override per admin."""
        return {}

    def decision_audit(self, request, obj, decision: Decision, *, bulk: bool) -> None:
        """The trail names the decision taken on this page; the service's status change is recorded beside it."""
        audit_record(action=AuditAction.DECISION, actor=request.user, obj=obj, request=request,
                     changes={"decision": decision.slug, "bulk": bulk})

    # ---- URLs and pages ----

    def _decide_url_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_decide"

    def get_urls(self):
        return [
            path("<path:object_id>/decide/<slug:slug>/", self.admin_site.admin_view(self.decide_view),
                 name=self._decide_url_name()),
            *super().get_urls(),
        ]

    def get_object(self, request, object_id, from_field=None):
        # The change page reads its object for the decision buttons and again in Django's change view: on a
        # GET (nothing is changed) the second read returns the first row instead of asking again.
        if request.method not in ("GET", "HEAD"):
            return super().get_object(request, object_id, from_field)
        read = request.__dict__.setdefault("_decision_objects", {})
        key = (self.model, str(object_id), from_field)
        if key not in read:
            read[key] = super().get_object(request, object_id, from_field)
        return read[key]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        buttons, conflict = [], None
        if obj is not None:
            buttons = [
                (reverse(f"admin:{self._decide_url_name()}", args=[obj.pk, decision.slug]), decision.label)
                for decision in self.decisions_for(request, obj)
            ]
            conflict = self.decision_conflict(request, obj) if self.decisions else None
        return super().change_view(request, object_id, form_url, {
            **(extra_context or {}), "decisions": buttons, "decision_conflict": conflict,
        })

    def decide_view(self, request, object_id, slug):
        decision = next((d for d in self.decisions if d.slug == slug), None)
        if decision is None or (decision.permission and not request.user.has_perm(decision.permission)):
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=object_id) if str(object_id).isdigit() else None
        if obj is None:
            raise PermissionDenied
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        conflict = self.decision_conflict(request, obj, decision)
        if conflict:
            self.message_user(request, _("You cannot decide about %(object)s: conflict of interest (%(reason)s).")
                              % {"object": obj, "reason": conflict}, messages.ERROR)
            return HttpResponseRedirect(change_url)
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
                    self.decision_audit(request, obj, decision, bulk=False)
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
            conflict = self.decision_conflict(request, obj, decision)
            if conflict:
                refused.append(_("%(object)s: conflict of interest (%(reason)s); another staff member must decide.")
                               % {"object": obj, "reason": conflict})
                continue
            if not self.decision_allowed(request, obj, decision):
                refused.append(_("%(object)s: %(decision)s does not apply.") % {"object": obj, "decision": decision.label})
                continue
            try:
                decision.service(obj, request.user, data)
            except ValidationError as error:
                refused.append(f"{obj}: {' '.join(error.messages)}")
            else:
                self.decision_audit(request, obj, decision, bulk=True)
                done.append(str(obj))
        if done:
            self.message_user(request, ngettext(
                "%(decision)s: %(count)d done (%(names)s).", "%(decision)s: %(count)d done (%(names)s).", len(done),
            ) % {"decision": decision.label, "count": len(done), "names": ", ".join(done)}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, _("Refused: %(line)s") % {"line": line}, messages.ERROR)


class LargeChangeList(ChangeList):
    """A changelist that scans its filtered rows once for the count and the date drill-down.

    A searched list costs a scan of the rows per question; Django asks four (the count, the page, the first and
    last dates, the distinct years or months or days). Here one query answers the count, the first and last
    dates and the distinct days (``date_facts``, read by the ``large_date_hierarchy`` tag); the page is the other.
    Each row's link carries the list's filters directly: Django resolved the URL again for every row to do so.
    """

    # Stands for the key in the change URL reversed once per page (the admin's pattern takes any path there).
    ROW_KEY = "__row_key__"

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.row_filters, self.preserved_filters = self.preserved_filters, ""
        self._row_url = None

    def url_for_result(self, result):
        if self._row_url is None:
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=(self.ROW_KEY,),
                          current_app=self.model_admin.admin_site.name)
            self._row_url = f"{url}?{self.row_filters}" if self.row_filters else url
        # Encoded as reverse() encodes an argument: the admin's quoting, then the URL's.
        key = url_quote(str(quote(getattr(result, self.pk_attname))), safe=RFC3986_SUBDELIMS + "/~:@")
        return self._row_url.replace(self.ROW_KEY, key, 1)

    def get_results(self, request):
        self.date_facts = self._date_facts() if self.date_hierarchy else None
        if self.date_facts is not None:
            # Read by LargeChangelistMixin.get_paginator: the paginator need not count again.
            self.queryset.known_count = self.date_facts["count"]
        super().get_results(request)

    def _date_facts(self) -> dict:
        field = get_fields_from_path(self.model, self.date_hierarchy)[-1]
        kind = "datetimes" if isinstance(field, models.DateTimeField) else "dates"
        zone = timezone.get_current_timezone() if kind == "datetimes" and settings.USE_TZ else None
        output = models.DateTimeField() if kind == "datetimes" else models.DateField()
        # Grouped by day (a few hundred a year at most), hashed: the years and months are read from the days, so
        # the drill-down needs no query of its own whatever its level. An ARRAY_AGG(DISTINCT day) sorted every
        # listed row instead, on disk past 80,000 rows.
        day = Trunc(self.date_hierarchy, "day", output_field=output, tzinfo=zone)
        groups = list(self.queryset.order_by().annotate(day=day).values_list("day").annotate(
            count=Count("pk"), first=Min(self.date_hierarchy), last=Max(self.date_hierarchy),
        ).values_list("day", "count", "first", "last"))
        dated = [group for group in groups if group[0] is not None]
        return {
            "count": sum(group[1] for group in groups),
            "first": min((group[2] for group in dated), default=None),
            "last": max((group[3] for group in dated), default=None),
            "kind": kind, "days": sorted(group[0] for group in dated),
        }


@functools.cache
def _access_tables() -> tuple[str, ...]:
    """The tables of the accounts, their groups and permissions: a list is shown only to whom they allow."""
    user_model = get_user_model()
    return (user_model._meta.db_table, user_model.groups.through._meta.db_table,
            user_model.user_permissions.through._meta.db_table, Group._meta.db_table,
            Group.permissions.through._meta.db_table, Permission._meta.db_table)


class KeptPagesMixin:
    """An admin's lists and records kept rendered per reviewer until a table they read is written.

    A reviewer goes back to the same lists and records (after each decision, paging, filtering) far more often than
    their rows change: the page is kept for them until a table it read, or one that grants access, is written
    (``ipma_portal.table_versions.kept_for_person``: GET only, never with a message waiting, at most
    ``DASHBOARD_CACHE_SECONDS``)."""

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        return table_versions.kept_for_person(request, lambda: view(request, extra_context), tables=_access_tables())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        view = super().change_view
        return table_versions.kept_for_person(request, lambda: view(request, object_id, form_url, extra_context),
                                              tables=_access_tables())


class LargeChangelistMixin(KeptPagesMixin):
    """A committee list over tens of thousands of rows (issue 17): a page of 50, no second COUNT(*) of the
    whole table for "N total" (the paginator's count of the filtered rows stays), each row's selection
    checkbox written directly instead of through a form widget's template (the same markup), and the
    filtered rows scanned once for their count and date drill-down (:class:`LargeChangeList`). Its lists and
    records are kept rendered per reviewer until a table they read is written (:class:`KeptPagesMixin`)."""

    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/workflows/large_change_list.html"
    # The search (workflows.search), when any is declared: words are word starts in the names and emails of the
    # people at these paths (their account and profile) and in the row's own stored vectors; a word that looks
    # like a reference number matches the number columns, one like a provider's id ("pi_...") the reference
    # columns, exactly or by their start.
    search_people: tuple[str, ...] = ()
    search_words: tuple[str, ...] = ()
    search_numbers: tuple[str, ...] = ()
    search_references: tuple[str, ...] = ()
    search_help_text = search.SEARCH_HELP

    def get_search_fields(self, request):
        # Django shows the search box when there are search fields; the declarations above replace them.
        if self.search_people or self.search_words or self.search_numbers or self.search_references:
            return (*self.search_people, *self.search_words, *self.search_numbers, *self.search_references)
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        if not (self.search_people or self.search_words or self.search_numbers or self.search_references):
            return super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return queryset, False
        words = search.search_words(search_term)
        if words is None:
            return queryset.none(), False
        found, text = Q(), []
        for word in words:
            columns = (self.search_numbers if search.is_number(word)
                       else self.search_references if search.is_provider_id(word) else ())
            numbers = [match for column in columns
                       if (match := search.number_match(self.model, column, word)) is not None]
            if numbers:
                found &= reduce(operator.or_, numbers)
            else:
                text.append(word)
        if text:
            if not (self.search_people or self.search_words):
                return queryset.none(), False
            found &= self._text_matches(search.prefix_query(text))
        return queryset.filter(found), False

    def _text_matches(self, query) -> Q:
        """The rows whose own words, or whose people's, match: one index scan per vector, without sorting."""
        rows = self.model._default_manager.order_by()
        matches = [Q(**{column: query}) for column in self.search_words]
        for person in self.search_people:
            people = get_fields_from_path(self.model, person)[-1].related_model
            found = people._default_manager.order_by().filter(search_vector=query).values("pk")
            profile = next((relation for relation in people._meta.related_objects
                            if relation.one_to_one and relation.name == "profile"), None)
            if profile is not None:
                found = found.union(profile.related_model._default_manager.order_by()
                                    .filter(search_vector=query).values(profile.field.attname), all=True)
            matches.append(Q(**{f"{person}__in": found}))
        if len(matches) == 1:
            return matches[0]
        # UNION ALL: IN needs no duplicates removed, so no grouping of the matches.
        return Q(pk__in=reduce(lambda united, match: united.union(rows.filter(match).values("pk"), all=True),
                               matches[1:], rows.filter(matches[0]).values("pk")))

    def get_changelist(self, request, **kwargs):
        return LargeChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        known_count = getattr(queryset, "known_count", None)
        if known_count is not None:
            paginator.count = known_count  # a cached_property: set, it is not computed
        return paginator

    def action_checkbox(self, obj):
        return format_html('<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
                           ACTION_CHECKBOX_NAME, obj.pk, gettext("Select this object for an action - {}").format(obj))


def country_column(field_name: str = "country"):
    """A list column showing a country's name in the reader's language, sorted by its code.

    Listed as the bare field, Django looks the value up in the field's flat choices for every cell, and
    django-countries builds and translates its list of some 250 countries each time (a list of 100
    organizations spent most of its rendering there)."""

    @admin.display(description=_("country"), ordering=field_name)
    def country(obj) -> str:
        return getattr(obj, field_name).name or ""

    return country


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    """Rows shown beside their parent (documents, staff, referrals) that the admin only reads."""

    extra = 0
    can_delete = False


class EventInline(ReadOnlyInline):
    """A workflow's history, read-only: the database refuses changes anyway, the admin does not offer them.

    The statuses are named as the record's own status field names them ("Under review", "审核中"): the history
    stores their codes.
    """

    fields = ["created_at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]
    _STATUS_COLUMNS = {"from_status": "from_status_label", "to_status": "to_status_label"}

    def get_fields(self, request, obj=None):
        return [self._STATUS_COLUMNS.get(name, name) for name in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return [self._STATUS_COLUMNS.get(name, name) for name in super().get_readonly_fields(request, obj)]

    @admin.display(description=_("from"))
    def from_status_label(self, event) -> str:
        return self._status_label(event.from_status)

    @admin.display(description=_("to"))
    def to_status_label(self, event) -> str:
        return self._status_label(event.to_status)

    def _status_label(self, code: str) -> str:
        try:
            choices = self.parent_model._meta.get_field("status").flatchoices
        except FieldDoesNotExist:
            return code
        return str(dict(choices).get(code, code)) if code else "—"


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A model the committee reads in the admin but changes only through services."""


class ModelMinimumsMixin:
    """A positive number whose model asks for at least N (seats, minutes, a year) asks for N in the admin's form.

    Django's form field for a positive integer knows only its 0: -3 seats were refused as "at least 0", and 0 itself
    passed the field only to be refused by the model with another number. With the model's own minimum the box says
    it once (and its ``min`` attribute agrees).
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, PositiveIntegerRelDbTypeMixin):
            least = [validator.limit_value for validator in db_field.validators
                     if isinstance(validator, MinValueValidator) and not callable(validator.limit_value)]
            if least:
                kwargs.setdefault("min_value", max(least))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# ---- the two-person rule ----------------------------------------------------------------------------

def _proposal_open(proposal: Proposal) -> bool:
    return proposal.status == ProposalStatus.PROPOSED


def _may_check(proposal: Proposal, user) -> bool:
    """Approve and reject: never the proposer, and only with the permission the action needs."""
    try:
        action = proposals.proposal_action(proposal.action)
    except ValidationError:
        return False
    return proposal.proposer_id != user.pk and user.has_perm(action.permission)


class ProposalEventInline(EventInline):
    model = ProposalEvent


def _action_label(name: str) -> str:
    try:
        return str(proposals.proposal_action(name).label)
    except ValidationError:
        return name  # an action no app registers any more: its code is all there is


class ProposalActionFilter(admin.SimpleListFilter):
    """The proposed actions by their names, among those proposals exist for."""

    title = _("action")
    parameter_name = "action__exact"  # the address the field's own filter used

    def lookups(self, request, model_admin):
        names = Proposal.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((name, _action_label(name)) for name in names), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(Proposal)
class ProposalAdmin(DecisionAdminMixin, ReadOnlyAdmin):
    """Proposed changes to money and results: a second staff member approves or rejects each."""

    decisions = (
        Decision("approve", _("Approve: make the change"),
                 lambda proposal, actor, data: proposals.proposal_approve(proposal=proposal, actor=actor, note=data["note"]),
                 applies=_proposal_open, actor_allowed=_may_check, bulk=True),
        Decision("reject", _("Reject"),
                 lambda proposal, actor, data: proposals.proposal_reject(proposal=proposal, actor=actor, note=data["note"]),
                 applies=_proposal_open, actor_allowed=_may_check, reason_required=True),
        Decision("withdraw", _("Withdraw my proposal"),
                 lambda proposal, actor, data: proposals.proposal_withdraw(proposal=proposal, actor=actor, note=data["note"]),
                 applies=_proposal_open, actor_allowed=lambda proposal, user: proposal.proposer_id == user.pk),
    )
    list_display = ["pk", "summary", "status", "person", "proposer", "proposed_at", "approver", "decided_at"]
    list_filter = ["status", ProposalActionFilter]
    list_select_related = ["person", "proposer", "approver"]
    search_fields = ["summary", "person__email", "proposer__email", "approver__email"]
    fields = ["summary", "action_label", "payload", "person", "reason", "proposer", "proposed_at",
              "status", "approver", "decided_at", "decision_note"]
    readonly_fields = fields
    inlines = [ProposalEventInline]
    actions = ["approve_selected"]

    @admin.display(description=_("action"))
    def action_label(self, proposal: Proposal) -> str:
        """The action as its app names it ("Refund", "退款"), not its code ("payments.refund")."""
        return _action_label(proposal.action)

    def decision_person(self, proposal: Proposal):
        return proposal.person

    @admin.action(description=_("Approve the selected proposals"))
    def approve_selected(self, request, queryset):
        self.decide_in_bulk(request, queryset, "approve")
