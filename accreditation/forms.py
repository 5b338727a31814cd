from django import forms
from django.utils.translation import gettext_lazy as _

from accreditation.models import APPLICANT_DOCUMENT_KINDS, Level, LevelApplication
from documents.forms import DocumentField


class LevelChoiceForm(forms.Form):
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=Level.objects.order_by("rank"), widget=forms.RadioSelect, empty_label=None,
        to_field_name="code",
    )


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the document shows"), choices=APPLICANT_DOCUMENT_KINDS)
    file = DocumentField(label=_("File"), help_text=_("PDF, JPEG, PNG or DOCX, at most 10 MB."))


class StatementsForm(forms.ModelForm):
    class Meta:
        model = LevelApplication
        fields = ["practice_statement", "equivalent_training_statement", "contribution_statement"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}

    def __init__(self, *args, level: Level, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice_statement"].required = True
        if not level.prerequisite_id:
            del self.fields["equivalent_training_statement"]
        else:
            self.fields["equivalent_training_statement"].help_text = _(
                "Only if you do not hold %(level)s: the training you count as equivalent. Add evidence of it "
                "on the documents step; the committee judges it."
            ) % {"level": level.prerequisite.name}
        if not level.requires_contribution_statement:
            del self.fields["contribution_statement"]
        else:
            self.fields["contribution_statement"].required = True


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that what this application states is true and complete, and that the committee may "
                "check the evidence behind it.")
    )


class RespondForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))
    file = DocumentField(label=_("A document, if the committee asked for one"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=_("Your appeal"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Explain why the decision should change. You can appeal once; a different reviewer decides."),
    )
