import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accreditation.models import Level
from partners.models import QTSP, TrainingFormat


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
