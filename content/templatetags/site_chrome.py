"""The header and footer of every portal page, rendered once per process for each kind of viewer.

The header (the public menus, the signed-in person's menus, the language menu) and the footer hold some fifty links
and labels; through the template engine they cost a millisecond or more of every page, about a fifth of a small
signed-in one. What differs between two people with the same roles (their name, the page's address the language
menu returns to, the CSRF token of its form) is written into the kept markup for each request.
"""

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ipma_portal.public_cache import csrf_placeholder_fill, csrf_placeholder_put
from ipma_portal.reference_cache import ReferenceData

register = template.Library()

# Stand-ins rendered into the kept markup, replaced for each request (they survive escaping unchanged).
NAME = "ipma-chrome-name-f3c9"
PATH = "ipma-chrome-path-f3c9"


class _Person:
    is_authenticated = True

    def get_short_name(self) -> str:
        return NAME


class _Request:
    def get_full_path(self) -> str:
        return PATH


def _header(key: tuple) -> str:
    _language, signed_in, qtsp_staff, reviewer = key
    html = render_to_string("includes/navbar.html", {
        "user": _Person() if signed_in else AnonymousUser(), "is_qtsp_staff": qtsp_staff, "is_reviewer": reviewer,
        "request": _Request(), "csrf_token": "stand-in",
    })
    return csrf_placeholder_put(html.encode()).decode()


def _footer(key: tuple) -> str:
    _language, zone = key
    with timezone.override(zone):
        return render_to_string("includes/footer.html", {"BODY_NAME": settings.BODY_NAME})


# The header shows the content pages' menus: kept until one changes, like those menus.
HEADER = ReferenceData("site-header", models=["content.Page"], build=_header)
FOOTER = ReferenceData("site-footer", models=[], build=_footer)


def _kind(user, qtsp_staff, reviewer) -> tuple:
    signed_in = bool(user is not None and user.is_authenticated)
    return translation.get_language(), signed_in, signed_in and bool(qtsp_staff), signed_in and bool(reviewer)


def viewer_kind(request) -> tuple:
    """What the header of this request's pages depends on besides the person: the language and which menus they get
    (the key of the kept header, read as the template's context processors read it)."""
    from applicants.context_processors import roles

    found = roles(request)
    return _kind(request.user, found.get("is_qtsp_staff"), found.get("is_reviewer"))


# Set on a request whose page is kept for other people of its kind (content.shared_answers): its header keeps the
# stand-ins, filled by ``chrome_fill`` for each request the page answers.
UNFILLED = "_site_chrome_unfilled"


def chrome_fill(request, body: bytes, user=None) -> bytes:
    """A page rendered with the header's stand-ins, for this request: its person's name, its address, its token.

    ``user`` is the template's (by default the request's; an answer made before the sign-in middleware ran, a 400
    for a malformed request, has none)."""
    body = body.replace(PATH.encode(), escape(request.get_full_path()).encode())
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        body = body.replace(NAME.encode(), escape(user.get_short_name()).encode())
    return csrf_placeholder_fill(request, body)


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """includes/navbar.html for this viewer."""
    request, user = context.get("request"), context.get("user")
    if request is None:  # a page rendered without its request (none of the portal's): rendered as it stands
        return mark_safe(render_to_string("includes/navbar.html", context.flatten()))
    html = HEADER.get(_kind(user, context.get("is_qtsp_staff"), context.get("is_reviewer")))
    if getattr(request, UNFILLED, False):
        return mark_safe(html)  # the stand-ins stay, for chrome_fill
    return mark_safe(chrome_fill(request, html.encode(), user).decode())  # rendered by the template engine; the values filled in are escaped there


@register.simple_tag
def site_footer() -> str:
    """includes/footer.html in the language and time zone in use."""
    return mark_safe(FOOTER.get((translation.get_language(), timezone.get_current_timezone_name())))
