from django.utils.functional import SimpleLazyObject

from content.selectors import pages_in_menus


def menus(request) -> dict:
    """The published pages of each header menu, read only when a template uses them (one query)."""
    return {"content_menus": SimpleLazyObject(pages_in_menus)}
