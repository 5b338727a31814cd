"""The mentoring-hours log as CSV: the columns people export, edit in a spreadsheet and import."""

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from applicants.models import HoursEntry, MentoringFormat
from documents.csv import csv_unescape

HOURS_COLUMNS = ["mentee", "started_on", "ended_on", "hours", "format", "notes"]
# Optional on import, never exported: the address serves only to ask the one confirmation.
CONFIRMER_COLUMN = "confirmer_email"


class HoursEntryResource(resources.ModelResource):
    """Rows always become new entries of ``user``: a CSV can never name or change someone else's row."""

    started_on = fields.Field(attribute="started_on", column_name="started_on", widget=widgets.DateWidget("%Y-%m-%d"))
    ended_on = fields.Field(attribute="ended_on", column_name="ended_on", widget=widgets.DateWidget("%Y-%m-%d"))

    class Meta:
        model = HoursEntry
        fields = [*HOURS_COLUMNS, CONFIRMER_COLUMN]
        export_order = HOURS_COLUMNS
        force_init_instance = True
        clean_model_instances = True
        use_bulk = False

    def __init__(self, *, user=None):
        super().__init__()
        self.user = user
        self._seen: set[tuple] = set()

    def before_import_row(self, row, **kwargs):
        value = (row.get("format") or "").strip().lower()
        labels = {str(label).lower(): code for code, label in MentoringFormat.choices}
        row["format"] = labels.get(value, value)
        row[CONFIRMER_COLUMN] = (row.get(CONFIRMER_COLUMN) or "").strip().lower()
        # The export quotes text that a spreadsheet would run (documents.csv); a re-import takes it back.
        for column in ("mentee", "notes"):
            if isinstance(row.get(column), str):
                row[column] = csv_unescape(row[column])

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.user = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        key = (instance.mentee, instance.started_on, instance.ended_on, instance.hours)
        duplicate = key in self._seen or HoursEntry.objects.filter(
            user=self.user, mentee=instance.mentee, started_on=instance.started_on,
            ended_on=instance.ended_on, hours=instance.hours,
        ).exists()
        self._seen.add(key)
        if duplicate and all(key):
            errors.setdefault("mentee", []).append(_("This entry is already in your log (or twice in the file)."))
        super().validate_instance(instance, errors, validate_unique)

    def get_queryset(self):
        return HoursEntry.objects.filter(user=self.user).order_by("started_on", "pk")
