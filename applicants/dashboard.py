"""The applicant dashboard, assembled from panels that each app contributes, and the person's pages kept rendered.

An app's ``AppConfig`` may define ``dashboard_panels(request) -> list[DashboardPanel]``, each panel's
template named ``<app>/dashboard_panel.html``; the dashboard renders them in INSTALLED_APPS order. This keeps the
applicants app from reaching into the others and lets each app choose its own (constant) queries.

A person opens their dashboard and their own lists (hours, invoices, exams, applications) far more often than their
records change, so ``@person_page`` keeps such a page, rendered, per person in the ``dashboard`` cache (Redis) under
versions:

- each app names, in ``AppConfig.dashboard_sources``, every model those pages read, with the path from a row to the
  person it concerns (``"applicant_id"``, ``"booking.candidate_id"``; a path ending in ``email`` names the account with
  that address), or ``None`` for rows many people's pages show (an exam session, an event, a level);
- saving or deleting such a row bumps that person's version (or everyone's), at once and again on commit, so a change
  shows on the next view, also one made by staff or a job; the few bulk ``UPDATE``s call ``pages_changed`` themselves;
- a kept page is never older than ``DASHBOARD_CACHE_SECONDS`` (a bound for what sends no signal and for the passing
  of time) and belongs to one address, language, time zone and day;
- only a 200 answer to a GET that sets no cookie and shows no message is kept, with a placeholder for the CSRF token
  filled per request; a request with a message waiting is always rendered; with Redis away nothing is kept.

``tests/applicants/test_dashboard_cache.py`` checks that every table these pages read is a declared source.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

from ipma_portal import table_versions
from ipma_portal.public_cache import csrf_placeholder_fill, csrf_placeholder_put

EVERYONE = "all"


@dataclass(frozen=True)
class DashboardPanel:
    template: str
    context: dict = field(default_factory=dict)


def dashboard_panels(request) -> list[DashboardPanel]:
    panels: list[DashboardPanel] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "dashboard_panels", None)
        if provider is not None:
            panels.extend(provider(request))
    return panels


def person_page(view=None, *, scopes: Callable[..., Iterable[str]] | None = None):
    """Keep the view's page for the signed-in person until a row it shows changes (see the module's note).

    ``scopes(request, *args, **kwargs)`` names further versions the page depends on, for rows that concern a group
    rather than a person (``"cohort:12"``: a cohort's roster; its sources declare the path ``"cohort:cohort_id"``).
    """
    if view is None:
        return functools.partial(person_page, scopes=scopes)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.DASHBOARD_CACHE_SECONDS
        if not seconds or not table_versions.person_may_use_kept(request):
            return view(request, *args, **kwargs)
        versions = _versions([EVERYONE, request.user.pk, *(scopes(request, *args, **kwargs) if scopes else ())])
        if versions is None:
            return view(request, *args, **kwargs)
        address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = ":".join(("page", str(request.user.pk), *versions, translation.get_language() or "",
                        timezone.get_current_timezone_name(), timezone.localdate().isoformat(), address))
        cache = caches["dashboard"]
        kept = cache.get(key)
        if kept is not None:
            body, content_type = kept
            return HttpResponse(csrf_placeholder_fill(request, body), content_type=content_type)
        response = view(request, *args, **kwargs)
        if table_versions.person_may_keep(request, response):
            cache.set(key, (csrf_placeholder_put(response.content), response["Content-Type"]), seconds)
        return response

    return wrapper


def _versions(names: list) -> tuple[str, ...] | None:
    """The versions of everyone, the person and the page's scopes, made when missing; None when Redis is away."""
    keys = [f"version:{name}" for name in names]
    found = table_versions.current(keys)
    return None if found is None else tuple(found[key] for key in keys)


def pages_changed(people: Iterable[int | str] | None) -> None:
    """Drop the kept pages of these people or scopes (None: of everyone), at once and when the transaction commits."""
    if not settings.DASHBOARD_CACHE_SECONDS:  # nothing is kept, nothing to drop
        return
    keys = [f"version:{EVERYONE}"] if people is None else [f"version:{name}" for name in set(people) if name]
    if not keys:
        return
    table_versions.renew(keys)
    transaction.on_commit(lambda: table_versions.renew(keys))


def _follow(row, path: str) -> list[int | str]:
    """The accounts (or the scope, for ``"scope:path"``) a source row's path leads to (ObjectDoesNotExist when a step
    is gone)."""
    if ":" in path:
        scope, path = path.split(":", 1)
        return [f"{scope}:{value}" for value in _follow(row, path)]
    *steps, last = path.split(".")
    for step in steps:
        row = getattr(row, step)
        if row is None:
            return []
    value = getattr(row, last)
    if last == "email":
        if not value:
            return []
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        return list(user_model._default_manager.filter(email__iexact=value).values_list("pk", flat=True))
    return [value] if value else []


def _source_changed(sender, instance, **kwargs) -> None:
    if not settings.DASHBOARD_CACHE_SECONDS:
        return
    paths = _SOURCES.get(sender)
    if paths is None:
        pages_changed(None)
        return
    people: list[int] = []
    try:
        for path in paths:
            people.extend(_follow(instance, path))
    except ObjectDoesNotExist:  # a row deleted with its parent: whose it was is not known any more
        pages_changed(None)
        return
    pages_changed(people)


_SOURCES: dict[type, tuple[str, ...] | None] = {}


def dashboard_sources() -> dict[type, tuple[str, ...] | None]:
    """Every model a person's kept page reads, with the paths to the people it concerns (None: everyone)."""
    return dict(_SOURCES)


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A person's roles (the navigation of every page) changed: through the person, or through the group."""
    if not action.startswith("post_"):
        return
    if not reverse:
        pages_changed([instance.pk])
    elif pk_set is None:  # a group emptied: whose pages showed it is not known any more
        pages_changed(None)
    else:
        pages_changed(pk_set)


def connect_dashboard_sources() -> None:
    """Listen to the models the apps name in ``dashboard_sources`` (called once, from applicants' ready())."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    m2m_changed.connect(_groups_changed, sender=user_model.groups.through, dispatch_uid="person-pages:groups")
    for config in apps.get_app_configs():
        for label, paths in getattr(config, "dashboard_sources", {}).items():
            model = apps.get_model(label)
            _SOURCES[model] = None if paths is None else ((paths,) if isinstance(paths, str) else tuple(paths))
            uid = f"dashboard-source:{label}"
            post_save.connect(_source_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_source_changed, sender=model, dispatch_uid=uid)
