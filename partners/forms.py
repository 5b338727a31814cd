from django import forms
from django.utils.translation import gettext_lazy as _

from accreditation.models import Level
from documents.forms import MultipleDocumentField
from partners.models import QTSP, Cohort, ProgrammeStatus, TrainingFormat, TrainingProgramme
from partners.places import CityFieldsMixin
from partners.services import Outcome
from partners.services.programme_review import EDITABLE_STATUSES, curriculum_topics
from partners.services.programmes import APPROVED_EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class QTSPApplicationForm(CityFieldsMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    levels = forms.ModelMultipleChoiceField(
        queryset=Level.objects.order_by("rank"), widget=forms.CheckboxSelectMultiple, label=_("Levels you can train")
    )
    formats = forms.MultipleChoiceField(
        choices=TrainingFormat.choices, widget=forms.CheckboxSelectMultiple, label=_("Training formats")
    )
    documents = MultipleDocumentField(
        label=_("Supporting documents"), required=True,
        help_text=_("Registration certificate, trainers' credentials, a sample syllabus: PDF, DOCX, JPEG or PNG."),
    )

    class Meta:
        model = QTSP
        fields = ["name", "registration_number", "website", "description", "country", "city", "address",
                  "contact_name", "contact_email", "contact_phone", "levels", "formats"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "address": forms.Textarea(attrs={"rows": 2})}

    def service_fields(self) -> dict:
        """The cleaned fields for ``qtsp_apply``, with the coordinates from the gazetteer (never typed in)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name not in ("levels",)}
        data["latitude"], data["longitude"] = self.located.latitude, self.located.longitude
        return data


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = TrainingProgramme
        fields = ["title", "level", "format", "language", "required_hours", "hours_in_person", "required_days",
                  "is_fasttrack", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, qtsp: QTSP, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = qtsp.levels.order_by("rank")
        self.fields["format"].choices = [(value, label) for value, label in TrainingFormat.choices if value in qtsp.formats]
        programme = self.instance
        if programme.pk and programme.status not in EDITABLE_STATUSES:
            # What the committee reviewed stays as it was approved (or as it waits for review).
            editable = APPROVED_EDITABLE_FIELDS if programme.status == ProgrammeStatus.APPROVED else ()
            for name, field in self.fields.items():
                field.disabled = name not in editable


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "is_online", "venue", "capacity", "price", "currency"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class TraineeAddForm(forms.Form):
    email = forms.EmailField(label=_("Trainee's email address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)


class RosterImportForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label=_("Roster CSV file"),
        help_text=_("UTF-8 CSV whose first line names the columns: email (required), full_name."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("A roster file may be at most 1 MB."))
        return upload


class EnrolmentRecordForm(forms.Form):
    attended_hours = forms.DecimalField(label=_("Attended hours"), min_value=0, max_digits=5, decimal_places=1)
    attended_days = forms.IntegerField(label=_("Attended in-person days"), min_value=0, max_value=365)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Outcome.IN_TRAINING, _("In training")), (Outcome.PASSED, _("Completed and passed")),
                 (Outcome.FAILED, _("Completed, not passed"))],
    )
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput(),
                                   help_text=_("Today if left empty."))




class SyllabusForm(forms.Form):
    """Hours per essential course (one field per topic of the exam curriculum)."""

    def __init__(self, *args, programme: TrainingProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        current = dict(programme.syllabus.values_list("topic_id", "hours"))
        self.topics = list(curriculum_topics())
        for topic in self.topics:
            self.fields[f"topic_{topic.pk}"] = forms.IntegerField(
                label=topic.name, min_value=0, max_value=1000, initial=current.get(topic.pk, 0),
            )

    def hours_by_topic(self) -> dict[int, int]:
        return {topic.pk: self.cleaned_data[f"topic_{topic.pk}"] for topic in self.topics}


class PlaceRequestForm(forms.Form):
    message = forms.CharField(label=_("Message to the training provider"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(
        label=_("If the provider accepts me, enrol me on this cohort. I agree that it sees my name and email address."),
    )


class ReapprovalForm(forms.Form):
    statement = forms.CharField(
        label=_("What changed since the last approval"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Trainers, programmes, results and anything else the committee should know."),
    )


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Reason (sent to the person)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
