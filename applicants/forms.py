from django import forms

from applicants.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "time_zone", "preferred_language"]
        widgets = {"preferred_language": forms.Select}

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].widget.choices = [("", "—"), *settings.LANGUAGES]
