from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from exams.models import ExamSession


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


class BookingForm(forms.Form):
    level = LevelChoiceField(label=_("Level"), queryset=None, empty_label=None, widget=forms.RadioSelect)
    needs = forms.CharField(
        label=_("Special arrangements (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Accessibility needs for the sitting, e.g. extra time or a ground-floor room. "
                    "The committee decides before the session."),
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels


class WaitlistForm(forms.Form):
    level = LevelChoiceField(label=_("Level"), queryset=None, empty_label=None, widget=forms.RadioSelect)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ExamSession) -> str:
        # The centre's local time in the reader's date format (str(obj) writes an ISO date, for the admin).
        local = timezone.localtime(obj.starts_at, obj.centre.zone)
        session = f'{obj.centre} · {formats.date_format(local, "DATETIME_FORMAT")} {local.tzname()}'
        return _("%(session)s — %(seats)s seats left") % {"session": session, "seats": obj.seats_left}


class RescheduleForm(forms.Form):
    session = SessionChoiceField(label=_("New session"), queryset=None, empty_label=None)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class ArrangementForm(forms.Form):
    needs = forms.CharField(label=_("What you need"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
