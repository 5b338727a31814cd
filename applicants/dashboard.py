"""The applicant dashboard is assembled from panels that each app contributes.

An app's ``AppConfig`` may define ``dashboard_panels(request) -> list[DashboardPanel]``, each panel's
template named ``<app>/dashboard_panel.html``; the dashboard renders them in INSTALLED_APPS order. This keeps the
applicants app from reaching into the others and lets each app choose its own (constant) queries.

The panels read a score of tables, and people open their dashboard far more often than their records change, so the
rendered panels are kept per person in the ``dashboard`` cache (Redis) under versions:

- each app names, in ``AppConfig.dashboard_sources``, every model its panels read, with the path from a row to the
  person whose dashboard shows it (``"applicant_id"``, ``"booking.candidate_id"``; a path ending in ``email`` names
  the account with that address), or ``None`` for rows many dashboards show (an exam session, an event, a level);
- saving or deleting such a row bumps that person's version (or everyone's), at once and again on commit, so a change
  shows on the next view, also one made by staff or a job;
- a kept copy is never older than ``DASHBOARD_CACHE_SECONDS`` (a bound for what sends no signal: a bulk
  ``update()``, the passing of time) and belongs to one day in the viewer's time zone;
- the copy holds a placeholder for the CSRF token, filled per request; with Redis away nothing is kept.

``tests/applicants/test_dashboard_cache.py`` checks that every table the dashboard reads is a declared source.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from ipma_portal.public_cache import csrf_placeholder_fill, csrf_placeholder_put

logger = logging.getLogger(__name__)

EVERYONE = "all"
# The versions outlive any kept copy; a version that expired is simply a new one (a miss).
VERSION_SECONDS = 24 * 3600


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


def dashboard_panels_html(request) -> SafeString:
    """The panels rendered, kept per person, version, language, time zone and day (see the module's note)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    versions = _versions(request.user.pk) if seconds else None
    if versions is None:
        return _render(request)
    key = ":".join(("panels", str(request.user.pk), *versions, translation.get_language() or "",
                    timezone.get_current_timezone_name(), timezone.localdate().isoformat()))
    cache = caches["dashboard"]
    kept = cache.get(key)
    if kept is None:
        html = _render(request)
        cache.set(key, csrf_placeholder_put(html.encode()), seconds)
        return html
    return mark_safe(csrf_placeholder_fill(request, kept).decode())


def _render(request) -> SafeString:
    return mark_safe(render_to_string(
        "applicants/dashboard_panels.html", {"panels": dashboard_panels(request)}, request=request))


def _versions(user_pk: int) -> tuple[str, str] | None:
    """Everyone's version and the person's, made when missing; None when Redis is away."""
    cache = caches["dashboard"]
    keys = (f"version:{EVERYONE}", f"version:{user_pk}")
    try:
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, secrets.token_hex(4), VERSION_SECONDS)
        found = cache.get_many(keys)
    except redis.RedisError:
        return None
    if len(found) != len(keys):
        return None
    return tuple(found[key] for key in keys)


def dashboards_changed(people: Iterable[int] | None) -> None:
    """Drop the kept panels of these people (None: of everyone), at once and when the transaction commits."""
    keys = [f"version:{EVERYONE}"] if people is None else [f"version:{pk}" for pk in set(people) if pk]
    if not keys:
        return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    try:
        caches["dashboard"].set_many({key: secrets.token_hex(4) for key in keys}, VERSION_SECONDS)
    except redis.RedisError:
        logger.warning("Dashboard cache unavailable: kept panels expire within %ss", settings.DASHBOARD_CACHE_SECONDS)


def _follow(row, path: str) -> list[int]:
    """The accounts a source row's path leads to (ObjectDoesNotExist when a step is gone)."""
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
    paths = _SOURCES.get(sender)
    if paths is None:
        dashboards_changed(None)
        return
    people: list[int] = []
    try:
        for path in paths:
            people.extend(_follow(instance, path))
    except ObjectDoesNotExist:  # a row deleted with its parent: whose it was is not known any more
        dashboards_changed(None)
        return
    dashboards_changed(people)


_SOURCES: dict[type, tuple[str, ...] | None] = {}


def dashboard_sources() -> dict[type, tuple[str, ...] | None]:
    """Every model a panel reads, with the paths to the people it concerns (None: everyone)."""
    return dict(_SOURCES)


def connect_dashboard_sources() -> None:
    """Listen to the models the apps name in ``dashboard_sources`` (called once, from applicants' ready())."""
    for config in apps.get_app_configs():
        for label, paths in getattr(config, "dashboard_sources", {}).items():
            model = apps.get_model(label)
            _SOURCES[model] = None if paths is None else ((paths,) if isinstance(paths, str) else tuple(paths))
            uid = f"dashboard-source:{label}"
            post_save.connect(_source_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_source_changed, sender=model, dispatch_uid=uid)
