"""Reads for the public pages: pages per language, the FAQ, the leadership, the Code of Ethics."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation

from applicants.models import EthicsCode
from content.models import OFFICER_ROLES, FaqEntry, FaqGroup, LeadershipTerm, NavGroup, Page
from ipma_portal.reference_cache import ReferenceData


def _field(name: str, language: str) -> str:
    return f"{name}_{language.replace('-', '_')}"


def page_published(*, slug: str) -> Page:
    """A published page (raises Page.DoesNotExist)."""
    return Page.objects.published().get(slug=slug)


def page_language_missing(page: Page) -> str | None:
    """The name of the current language when the page has no version in it (the English one is shown)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return None
    if (getattr(page, _field("body", language), "") or "").strip():
        return None
    return dict(settings.LANGUAGES).get(language, language)


def _pages_in_menus() -> dict[str, list[Page]]:
    menus: dict[str, list[Page]] = {group: [] for group in NavGroup.values if group}
    for page in Page.objects.published().exclude(nav_group="").only(
        "slug", "nav_group", "nav_order", *[_field("title", code) for code, _name in settings.LANGUAGES], "title",
    ):
        menus[page.nav_group].append(page)
    return menus


MENUS = ReferenceData("content-menus", models=["content.Page"], build=_pages_in_menus, on_every_page=True)


def pages_in_menus() -> dict[str, list[Page]]:
    """Published pages by menu, in their order (one query), kept in memory until a page changes."""
    return MENUS.get()


def faq_groups():
    """Groups with their published entries, two queries whatever the number of entries."""
    entries = FaqEntry.objects.filter(published=True).order_by("position", "pk")
    return (
        FaqGroup.objects.filter(entries__published=True).distinct()
        .prefetch_related(Prefetch("entries", queryset=entries, to_attr="published_entries"))
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class Leadership:
    officers: list[LeadershipTerm]
    board: list[LeadershipTerm]
    past: list[LeadershipTerm]


def leadership(*, on=None) -> Leadership:
    """Current officers (in the order of the offices), the current board, and past terms; one query."""
    on = on or timezone.localdate()
    terms = list(LeadershipTerm.objects.filter(starts_on__lte=on).select_related("expert"))
    current = [term for term in terms if term.ends_on >= on]
    order = {role: position for position, role in enumerate(OFFICER_ROLES)}
    return Leadership(
        officers=sorted((t for t in current if t.is_officer), key=lambda t: order[t.role]),
        board=sorted((t for t in current if not t.is_officer), key=lambda t: t.name),
        past=sorted((t for t in terms if t.ends_on < on), key=lambda t: (-t.ends_on.toordinal(), t.name)),
    )


def ethics_versions():
    """Every published version of the Code of Ethics, newest first."""
    return EthicsCode.objects.filter(published_at__lte=timezone.now()).order_by("-version")


def ethics_version(*, version: int) -> EthicsCode:
    return ethics_versions().get(version=version)

