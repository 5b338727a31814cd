from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import TIME_ZONE_CHOICES, HoursEntry, Profile, User, language_choices
from documents.forms import DocumentField


class PreferencesForm(forms.ModelForm):
    # A choice field, so a language the portal does not offer is refused rather than stored.
    preferred_language = forms.ChoiceField(label=_("Preferred language"), required=False, choices=[])

    class Meta:
        model = User
        fields = ["full_name", "time_zone", "preferred_language"]

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [("", "—"), *settings.LANGUAGES]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    languages = forms.MultipleChoiceField(
        label=_("Languages you mentor in"), choices=language_choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    education_proof = DocumentField(
        label=_("Proof of education"), required=False,
        help_text=_("A diploma or transcript: PDF, JPEG, PNG or DOCX, at most 10 MB. Leave empty to keep the current file."),
    )

    class Meta:
        model = Profile
        fields = ["legal_name", "country", "city", "time_zone", "languages", "highest_education",
                  "education_proof", "mentoring_since", "background"]
        widgets = {"mentoring_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = user.time_zone
        self.fields["legal_name"].required = True
        self.fields["education_proof"].initial = None
        self.fields["education_proof"].owner = user
        if self.instance.pk and self.instance.education_proof:
            self.fields["education_proof"].replaces = self.instance.education_proof

    def clean_mentoring_since(self):
        value = self.cleaned_data["mentoring_since"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return value


class HoursEntryForm(forms.ModelForm):
    class Meta:
        model = HoursEntry
        fields = ["mentee", "started_on", "ended_on", "hours", "format", "notes", "confirmer_email"]
        widgets = {
            "confirmer_email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "hours": {
                "max_digits": _("That is more hours than one entry can hold (at most 99999.9)."),
                "max_whole_digits": _("That is more hours than one entry can hold (at most 99999.9)."),
            },
        }


class HoursConfirmationAnswerForm(forms.Form):
    """The mentee's answer on the confirmation page: which button, and a comment (required to dispute)."""

    answer = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("dispute", _("Dispute"))],
                               error_messages={"required": _("Choose to confirm or to dispute these hours.")})
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required if you dispute: say what is not right (the hours, the dates, the format)."),
    )


class HoursImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_("Columns: mentee, started_on, ended_on (YYYY-MM-DD), hours, format, notes; optionally "
                    "confirmer_email, the mentee's or a supervisor's address, who is then asked to confirm the row."),
    )


class EthicsAdoptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label=_("I have read this code of ethics and conduct and commit to abide by it in my mentoring practice.")
    )


class SignupNameForm(forms.Form):
    """Sign-up asks the name the portal greets a person by (allauth's ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=User._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class AccountEraseForm(forms.Form):
    """Deleting an account asks for the password again, so an open session alone cannot do it."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    understood = forms.BooleanField(label=_("I understand that this cannot be undone."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
