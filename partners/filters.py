import django_filters
from django import forms
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accreditation.models import Level
from partners.models import QTSP, Cohort, TrainingFormat


class DirectoryFilter(django_filters.FilterSet):
    """Filters of the public QTSP directory."""

    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("Any country"))
    city = django_filters.CharFilter(label=_("City"), lookup_expr="iexact")
    level = django_filters.ModelChoiceFilter(
        label=_("Level trained"), field_name="levels", queryset=Level.objects.order_by("rank"),
        to_field_name="code", empty_label=_("Any level"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=TrainingFormat.choices, method="filter_format", empty_label=_("Any format")
    )
    fasttrack = django_filters.BooleanFilter(
        label=_("Runs the Senior Mentor fast track"), field_name="trains_fasttrack",
        widget=forms.CheckboxInput, method="filter_fasttrack",
    )

    class Meta:
        model = QTSP
        fields = ["country", "city", "level", "format", "fasttrack"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        present = set(QTSP.objects.approved().values_list("country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [(code, name) for code, name in countries if code in present]

    def filter_format(self, queryset, name, value):
        return queryset.filter(formats__contains=[value]) if value else queryset

    def filter_fasttrack(self, queryset, name, value):
        return queryset.filter(trains_fasttrack=True) if value else queryset


class TrainingFilter(django_filters.FilterSet):
    """Filters of the public training finder (``/training/``): level, country, language and format."""

    level = django_filters.ModelChoiceFilter(
        label=_("Level"), field_name="programme__level", queryset=Level.objects.order_by("rank"),
        to_field_name="code", empty_label=_("Any level"),
    )
    country = django_filters.ChoiceFilter(label=_("Country"), field_name="programme__qtsp__country",
                                          empty_label=_("Any country"))
    language = django_filters.ChoiceFilter(label=_("Language"), field_name="programme__language",
                                           empty_label=_("Any language"))
    format = django_filters.ChoiceFilter(label=_("Format"), field_name="programme__format",
                                         choices=TrainingFormat.choices, empty_label=_("Any format"))

    class Meta:
        model = Cohort
        fields = ["level", "country", "language", "format"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only what the listed cohorts have, so no choice leads to an empty page.
        listed = self.queryset.order_by()
        present = set(listed.values_list("programme__qtsp__country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [(code, name) for code, name in countries if code in present]
        languages = set(listed.values_list("programme__language", flat=True).distinct())
        self.filters["language"].extra["choices"] = [
            (code, _(name)) for code, name in global_settings.LANGUAGES if code in languages
        ]
