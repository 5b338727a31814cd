from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applicants.models import language_choices
from documents.forms import DocumentField
from ipma_portal.widgets import CachedOptionsSelect
from organizations.models import (
    SHARES,
    AnnualReport,
    Audience,
    DirectoryListing,
    DocumentKind,
    Organization,
    ProgrammeApplication,
    Sector,
    Sponsorship,
)
from organizations.services import CONTENT_FIELDS


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["legal_name", "sector", "country", "city", "website"]


class ProgrammeStartForm(forms.Form):
    name = forms.CharField(label=_("Programme name"), max_length=200,
                           help_text=_("As it should appear on the certificate and in the directory."))
    description = forms.CharField(label=_("Public description"), widget=forms.Textarea(attrs={"rows": 3}),
                                  required=False,
                                  help_text=_("Two or three sentences shown in the public directory once accredited."))


class ApplicationForm(forms.ModelForm):
    """The draft: every field optional while saving; ``application_submit`` says what is still missing."""

    programme_name = forms.CharField(label=_("Programme name"), max_length=200)
    programme_description = forms.CharField(
        label=_("Public description"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences shown in the public directory once the programme is accredited."),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Who the programme is for"), choices=Audience.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProgrammeApplication
        fields = list(CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("purpose", "audience_details", "matching", "training_details", "supervision", "monitoring",
                         "ethics_details")
        }
        help_texts = {
            "purpose": _("What the programme sets out to achieve, and for whom."),
            "matching": _("How mentors and mentees are brought together, and what happens when a pair does not work."),
            "supervision": _("Who supports the mentors, how often, and what they do when something goes wrong."),
            "monitoring": _("What you measure, how often, and what you changed because of it."),
        }

    def __init__(self, *args, programme=None, renewal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:
            self.fields["programme_name"].initial = programme.name
            self.fields["programme_description"].initial = programme.description
        if renewal:
            self.fields["programme_name"].disabled = True
            self.fields["programme_name"].help_text = _("The name on the certificate; it stays the same on renewal.")


class MentorForm(forms.Form):
    email = forms.EmailField(
        label=_("Mentor's email address"),
        help_text=_("We invite the mentor; once they accept, their name and certificate appear here."),
    )


class MentorAcceptForm(forms.Form):
    certificate_number = forms.ChoiceField(label=_("Your certificate"))

    def __init__(self, *args, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_number"].choices = [(c.number, f"{c.number} · {c.title}") for c in certificates]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[(value, label) for value, label in DocumentKind.choices if value != DocumentKind.CONDITION],
    )
    file = DocumentField(label=_("File"), help_text=_("PDF, JPEG, PNG or Word (DOCX)."))


class ConditionAnswerForm(forms.Form):
    response = forms.CharField(label=_("How the condition was met"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = DocumentField(label=_("Evidence (optional)"), required=False,
                             help_text=_("PDF, JPEG, PNG or Word (DOCX)."))


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = ["active_pairs", "pairs_started", "retention_percent", "outcomes", "changes"]
        widgets = {"outcomes": forms.Textarea(attrs={"rows": 5}), "changes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("active_pairs", "pairs_started", "retention_percent", "outcomes"):
            self.fields[name].required = True




class ListingForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages you mentor in"), choices=language_choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors you mentor in"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DirectoryListing
        fields = ["opted_in", "display_name", "headline", "profile", "country", "city", "languages", "sectors",
                  "accepts_contact"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 5})}


class ContactForm(forms.Form):
    sender_name = forms.CharField(label=_("Your name"), max_length=200)
    sender_email = forms.EmailField(label=_("Your email address"),
                                    help_text=_("The mentor receives it so they can answer you."))
    body = forms.CharField(label=_("Message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))


class DirectoryFilterForm(forms.Form):
    SHOW_CHOICES = [
        ("mentors", _("Mentors")),
        ("programmes", _("Organizations and programmes")),
        ("qtsps", _("Training partners (QTSPs)")),
    ]
    show = forms.ChoiceField(choices=SHOW_CHOICES, required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    # The long lists (countries, languages) are rendered once per language and process (CachedOptionsSelect).
    level = forms.ChoiceField(label=_("Level"), required=False, widget=CachedOptionsSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=CachedOptionsSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=CachedOptionsSelect,
                                 choices=lambda: [("", _("Any language")), *language_choices()])
    sector = forms.ChoiceField(label=_("Sector"), required=False, widget=CachedOptionsSelect,
                               choices=[("", _("Any sector")), *Sector.choices])

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("Any level")), *((level.code, level.name) for level in levels)]
        self.fields["country"].choices = [("", _("Any country")), *countries]

    @property
    def section(self) -> str:
        """Which list the visitor is looking at: mentors unless they chose another."""
        value = self.cleaned_data.get("show") if self.is_valid() else ""
        return value or "mentors"


class ConditionForm(forms.Form):
    text = forms.CharField(label=_("Condition"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


ConditionFormSet = forms.formset_factory(ConditionForm, extra=3, max_num=10)


def review_score_form(criteria, *, data=None, initial_scores=None, summary: str = ""):
    """The reviewer's form: a 0-4 score and a comment per standard, plus an overall comment."""
    score_choices = [("", "—"), *((str(value), str(value)) for value in range(5))]
    fields = {}
    for criterion in criteria:
        fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
            label=criterion.name, choices=score_choices, coerce=int, empty_value=None, required=False,
            help_text=criterion.guidance,
        )
        fields[f"comment_{criterion.pk}"] = forms.CharField(
            label=_("Comment on %(criterion)s") % {"criterion": criterion.name}, required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    fields["summary"] = forms.CharField(label=_("Overall comment"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    form_class = type("ReviewScoreForm", (forms.Form,), fields)
    initial = {"summary": summary}
    for criterion_id, (score, comment) in (initial_scores or {}).items():
        initial[f"score_{criterion_id}"] = "" if score is None else str(score)
        initial[f"comment_{criterion_id}"] = comment
    return form_class(data=data, initial=initial)



class SponsorshipInviteForm(forms.ModelForm):
    """The organization invites an employee and chooses which of their fees it pays."""

    class Meta:
        model = Sponsorship
        fields = ["email", "covers_accreditation", "covers_exams", "covers_events", "covers_renewals"]
        labels = {"email": _("Employee's email address")}
        help_texts = {"email": _("They accept on their own account and choose what you may see of their progress.")}


class SponsorshipSharesForm(forms.ModelForm):
    """The sponsored person chooses what the organization may see; documents and scores are never shown."""

    class Meta:
        model = Sponsorship
        fields = list(SHARES)
