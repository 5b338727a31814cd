"""The header's menus of public pages, rendered once per process and language until a content page changes.

Every page of the portal shows them, and they hold some thirty links and labels: rendering them through the
template engine on each request cost more than the rest of a small page.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from content.selectors import pages_in_menus
from ipma_portal.reference_cache import ReferenceData

register = template.Library()


def _render(language: str) -> str:
    return render_to_string("includes/nav_public.html", {"content_menus": pages_in_menus()})


PUBLIC_NAV = ReferenceData("public-nav", models=["content.Page"], build=_render)


@register.simple_tag
def public_nav() -> str:
    """The menus in the language in use (the markup of includes/nav_public.html)."""
    return mark_safe(PUBLIC_NAV.get(translation.get_language()))  # rendered by the template engine, escaped there
