import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accreditation.selectors import levels_in_order
from exams.models import ExamWindow, TestCentre
from ipma_portal.widgets import CachedOptionsSelect


def calendar_choices(sessions) -> dict[str, list[tuple[str, str]]]:
    """The quarters, countries and cities of ``sessions``: three queries (the calendar keeps them in memory)."""
    upcoming = sessions.values("pk")
    windows = ExamWindow.objects.filter(sessions__in=upcoming).distinct().order_by("year", "quarter")
    centres = TestCentre.objects.filter(sessions__in=upcoming).distinct()
    codes = sorted(centres.order_by().values_list("country", flat=True).distinct(), key=countries.name)
    cities = centres.order_by("city").values_list("city", flat=True).distinct()
    return {
        "quarter": [(window.label, window.label) for window in windows],
        "country": [(code, countries.name(code)) for code in codes],
        "city": [(city, city) for city in cities],
    }


class SessionCalendarFilter(django_filters.FilterSet):
    """The public calendar's filters; each list of choices is one query, whatever the number of sessions."""

    quarter = django_filters.ChoiceFilter(label=_("Quarter"), method="filter_quarter", empty_label=_("All quarters"),
                                          widget=CachedOptionsSelect)
    country = django_filters.ChoiceFilter(label=_("Country"), field_name="centre__country",
                                          empty_label=_("All countries"), widget=CachedOptionsSelect)
    city = django_filters.ChoiceFilter(label=_("City"), field_name="centre__city", empty_label=_("All cities"),
                                       widget=CachedOptionsSelect)
    level = django_filters.ChoiceFilter(label=_("Level"), field_name="levels__code", empty_label=_("All levels"),
                                        widget=CachedOptionsSelect)

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices if choices is not None else calendar_choices(self.queryset)
        for name in ("quarter", "country", "city"):
            self.filters[name].extra["choices"] = choices[name]
        self.filters["level"].extra["choices"] = [(level.code, level.name) for level in levels_in_order()]

    def filter_quarter(self, queryset, name, value):
        year, _sep, quarter = value.partition("-Q")
        return queryset.filter(window__year=int(year), window__quarter=int(quarter))
