from django import forms
from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from events.models import EventFormat, EventKind


def _topics():
    # The curriculum's topics belong to exams, beside this app in the same layer: read through the registry.
    return apps.get_model("exams", "Topic").objects.order_by("position")


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices])
    topic = forms.ModelChoiceField(label=_("Topic"), required=False, queryset=None, empty_label=_("All topics"),
                                   to_field_name="code")
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES])
    format = forms.ChoiceField(label=_("Where"), required=False, choices=[
        ("", _("Online and in person")), ("online", _("Online")), ("in_person", _("In person"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _topics()

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("topic"):
            queryset = queryset.filter(topics=data["topic"])
        if data.get("language"):
            queryset = queryset.filter(language=data["language"])
        if data.get("format") == "online":
            queryset = queryset.filter(format__in=[EventFormat.ONLINE, EventFormat.HYBRID])
        elif data.get("format") == "in_person":
            queryset = queryset.filter(format__in=[EventFormat.IN_PERSON, EventFormat.HYBRID])
        return queryset
