"""Markdown written by staff becomes HTML through a sanitizer: no raw HTML from the editor reaches a page."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
# Only these link schemes survive; ``javascript:``, ``data:`` and the like are dropped with their href.
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_render(text: str) -> SafeString:
    """Render Markdown to sanitized HTML (scripts, event handlers, styles and unsafe links removed)."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow", strip_comments=True,
    )
    # Safe: nh3 rebuilt the HTML from an allow-list of tags, attributes and link schemes.
    return mark_safe(cleaned)
