"""A select whose long list of options is rendered once per language, not once per request.

Django renders each ``<option>`` through the template engine: a list of 250 countries costs a public
page about 20 ms. ``CachedOptionsSelect`` renders the options of a given list of choices once (per
process, per language, since the labels are translated) and on each request only marks the chosen ones.
"""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


@lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Each option's value and its HTML without ``selected``."""
    return tuple((value, format_html('<option value="{}">{}</option>', value, label)) for value, label in choices)


class CachedOptionsSelect(forms.Select):
    """A single-choice select (no option groups) rendered without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        # The labels in the current language are the cache key: a translated or changed list is rendered anew.
        choices = tuple((str("" if key is None else key), str(label)) for key, label in self.choices)
        chosen = set(self.format_value(value))
        options = "".join(
            html.replace("<option ", "<option selected ", 1) if option_value in chosen else html
            for option_value, html in _options(choices)
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")
