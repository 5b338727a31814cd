import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accreditation.models import Level
from exams.models import ExamWindow, TestCentre


class SessionCalendarFilter(django_filters.FilterSet):
    """The public calendar's filters; each list of choices is one query, whatever the number of sessions."""

    quarter = django_filters.ChoiceFilter(label=_("Quarter"), method="filter_quarter", empty_label=_("All quarters"))
    country = django_filters.ChoiceFilter(label=_("Country"), field_name="centre__country",
                                          empty_label=_("All countries"))
    city = django_filters.ChoiceFilter(label=_("City"), field_name="centre__city", empty_label=_("All cities"))
    level = django_filters.ModelChoiceFilter(label=_("Level"), field_name="levels", to_field_name="code",
                                             queryset=Level.objects.order_by("rank"), empty_label=_("All levels"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        upcoming = self.queryset.values("pk")
        windows = ExamWindow.objects.filter(sessions__in=upcoming).distinct().order_by("year", "quarter")
        self.filters["quarter"].extra["choices"] = [(window.label, window.label) for window in windows]
        centres = TestCentre.objects.filter(sessions__in=upcoming).distinct()
        codes = sorted(centres.order_by().values_list("country", flat=True).distinct(), key=countries.name)
        self.filters["country"].extra["choices"] = [(code, countries.name(code)) for code in codes]
        cities = centres.order_by("city").values_list("city", flat=True).distinct()
        self.filters["city"].extra["choices"] = [(city, city) for city in cities]

    def filter_quarter(self, queryset, name, value):
        year, _sep, quarter = value.partition("-Q")
        return queryset.filter(window__year=int(year), window__quarter=int(quarter))
