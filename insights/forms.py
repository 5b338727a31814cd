import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accreditation.selectors import levels_in_order
from insights.figures.base import Filters
from ipma_portal.widgets import CachedOptionsSelect


class InsightsFilterForm(forms.Form):
    """The page's filters; without any, the last twelve months, every level and country."""

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # The long lists are rendered once per language and process (CachedOptionsSelect).
    level = forms.ChoiceField(label=_("Level"), required=False, widget=CachedOptionsSelect)
    country = CountryField(blank=True, blank_label=_("All countries")).formfield(
        label=_("Country"), required=False, widget=CachedOptionsSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("All levels"))] + [
            (level.code, f"{level.code} · {level.name}") for level in levels_in_order()]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the range must not come before its start."))
        return data

    def filters(self) -> Filters:
        """The filters the form holds; the defaults for anything missing or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - datetime.timedelta(days=365)
        return Filters(start=start, end=end, level=data.get("level") or "", country=data.get("country") or "")
