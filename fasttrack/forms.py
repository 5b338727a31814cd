from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import DocumentField, MultipleDocumentField
from fasttrack.models import FastTrackApplication, Screening
from fasttrack.requirements import REQUIREMENTS, CriterionRule, Group
from partners.places import CityFieldsMixin


class ApplicationForm(CityFieldsMixin, forms.ModelForm):
    """Where the applicant lives (to find the nearest QTSP) and their CV."""

    cv = DocumentField(
        kinds=("pdf", "docx"), label=_("CV (PDF or DOCX)"), required=False,
        help_text=_("Your latest résumé. Uploading a new file replaces the previous one."),
    )

    class Meta:
        model = FastTrackApplication
        fields = ["country", "city"]
        help_texts = {"city": _("The nearest QTSP is chosen by distance from this city.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True
        self.fields["city"].required = True


class ClaimForm(forms.Form):
    """One criterion: does the applicant meet it, how many years where that counts, and the proofs."""

    claimed = forms.BooleanField(required=False)
    years = forms.IntegerField(label=_("Years"), min_value=0, max_value=80, required=False)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              max_length=4000)
    proofs = MultipleDocumentField(label=_("Add proof documents"), required=False)

    def __init__(self, *args, rule: CriterionRule, claim=None, **kwargs):
        self.rule, self.claim = rule, claim
        super().__init__(*args, prefix=rule.criterion.value, **kwargs)
        self.fields["claimed"].label = rule.criterion.label
        if rule.min_years is None:
            del self.fields["years"]
        else:
            self.fields["years"].help_text = _("At least %(years)s.") % {"years": rule.min_years}
        if not rule.needs_proof:
            del self.fields["proofs"]
            self.fields["claimed"].label = _("I commit to uphold IPMA's global Code of Ethics & Conduct.")
            del self.fields["details"]
        else:
            self.fields["proofs"].help_text = rule.proof_hint
        if claim is not None and not self.is_bound:
            self.initial = {"claimed": claim.claimed, "years": claim.years, "details": claim.details}


def claim_forms(application, data=None, files=None) -> list[tuple[Group, bool, list[ClaimForm]]]:
    claims = {claim.criterion: claim for claim in application.claims.all()}
    return [
        (group.group, group.needs_all,
         [ClaimForm(data, files, rule=rule, claim=claims.get(rule.criterion.value)) for rule in group.criteria])
        for group in REQUIREMENTS
    ]


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = FastTrackApplication
        fields = ["screening_hard", "screening_experience", "screening_professional"]
        widgets = {name: forms.RadioSelect(choices=Screening.choices) for name in fields}


class ReferralAnswerForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("For the committee, not the candidate; when you decline, say why."),
    )


class EnrolForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Fast-track cohort"), queryset=None)

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
