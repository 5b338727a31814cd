import re
from datetime import date

from django import forms
from django.contrib.admin import widgets
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accreditation.models import Level
from exams.models import (
    BookingStatus,
    ExamSession,
    ExamWindow,
    weights_total_check,
)


class TopicWeightFormSet(BaseInlineFormSet):
    """The admin refuses a level's weights unless they add up to 100 (the database checks it again)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The table's headers are not labels: each input names its row's topic for screen readers.
        topic = form.instance.topic.name if form.instance.topic_id else _("new topic")
        for name, label in (("topic", _("Topic")), ("weight", _("Weight (%)")), ("DELETE", _("Delete"))):
            if name in form.fields:
                widget = form.fields[name].widget
                getattr(widget, "widget", widget).attrs["aria-label"] = f"{label}: {topic}"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = [form.cleaned_data.get("weight") or 0 for form in self.forms
                   if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        weights_total_check(weights)


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """The admin's date and time boxes, each named for screen readers (its "Date:" and "Time:" are not labels)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = _("Start date (the centre's local time)")
        self.widgets[1].attrs["aria-label"] = _("Start time (the centre's local time)")


class ExamSessionAdminForm(forms.ModelForm):
    """Staff enter the start as the wall-clock time at the centre; it is stored in UTC."""

    local_start = forms.SplitDateTimeField(label=_("Starts at (the centre's local time)"),
                                           widget=LabelledSplitDateTime)

    class Meta:
        model = ExamSession
        fields = ["window", "centre", "local_start", "duration_minutes", "levels", "capacity"]
        widgets = {"levels": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at, self.instance.centre.zone)
            self.initial["local_start"] = local.replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        local, centre = cleaned.get("local_start"), cleaned.get("centre")
        if local and centre:
            wall_clock = timezone.make_naive(local) if timezone.is_aware(local) else local
            starts_at = centre.local_datetime(wall_clock)
            if self.instance.pk:
                self._keep_what_candidates_booked(starts_at, centre, cleaned)
            # A session already past may keep its start (its results are entered later), not move to or begin there.
            if starts_at <= timezone.now() and starts_at != self.instance.starts_at:
                self.add_error("local_start", _("This start is in the past; sessions are planned ahead."))
            self.instance.starts_at = starts_at
            clash = ExamSession.objects.filter(centre=centre, starts_at=starts_at)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("local_start", _("This centre already has a session starting then."))
        return cleaned

    def _keep_what_candidates_booked(self, starts_at, centre, cleaned) -> None:
        """Booked candidates hold an invitation for this time and place: they are not changed under them."""
        saved = ExamSession.objects.get(pk=self.instance.pk)
        booked = saved.bookings.filter(status=BookingStatus.BOOKED)
        count = booked.count()
        if not count:
            return
        window = cleaned.get("window")
        if (saved.starts_at, saved.centre_id, saved.window_id) != (starts_at, centre.pk, window and window.pk):
            self.add_error(None, ngettext(
                "%(count)d candidate is booked on this session, so its time, centre and window stay as they are. "
                "Create another session and ask the candidate to reschedule.",
                "%(count)d candidates are booked on this session, so its time, centre and window stay as they are. "
                "Create another session and ask the candidates to reschedule.", count) % {"count": count})
        offered = {level.pk for level in cleaned.get("levels") or []}
        dropped = Level.objects.filter(pk__in=booked.values("level")).exclude(pk__in=offered)
        if dropped:
            self.add_error("levels", _("Candidates are booked for %(levels)s; keep offering it.") % {
                "levels": ", ".join(level.name for level in dropped)})


class SessionsBulkForm(forms.Form):
    """A quarter's sessions for the selected centres: the same local time on each listed day."""

    window = forms.ModelChoiceField(label=_("Exam window"), queryset=ExamWindow.objects.order_by("-year", "-quarter"))
    days = forms.CharField(
        label=_("Days"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dates as YYYY-MM-DD, separated by commas, spaces or new lines; all inside the window."),
    )
    start = forms.TimeField(label=_("Local start time"), help_text=_("In each centre's own time zone, e.g. 09:00."),
                            widget=widgets.AdminTimeWidget)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=600, initial=180)
    levels = forms.ModelMultipleChoiceField(label=_("Levels offered"), queryset=Level.objects.order_by("rank"),
                                            widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, required=False,
                                  help_text=_("Leave empty to use each centre's number of seats."))

    def clean_days(self) -> list[date]:
        days = []
        for token in re.split(r"[\s,;]+", self.cleaned_data["days"].strip()):
            try:
                days.append(date.fromisoformat(token))
            except ValueError:
                raise forms.ValidationError(_("%(value)s is not a date like 2026-03-14.") % {"value": token}) from None
        past = [day for day in days if day < timezone.localdate()]
        if past:
            raise forms.ValidationError(_("These days are in the past: %(days)s.") % {
                "days": ", ".join(str(day) for day in past)})
        return days


class ResultsUploadForm(forms.Form):
    file = forms.FileField(label=_("Results sheet (CSV)"),
                           help_text=_("The roster CSV with the topic columns filled in (0-100) or 'yes' under absent."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; a results sheet is much smaller."))
        return upload

    MAX_BYTES = 2 * 1024 * 1024


class SessionResultsForm(forms.Form):
    """One line per candidate still without a result: absent, or a score per topic of their level."""

    def __init__(self, *args, bookings, weights, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for booking in bookings:
            absent = f"absent_{booking.pk}"
            # The table's headers are not labels: each input names its candidate for screen readers.
            who = f"{booking.candidate} (#{booking.pk})"
            self.fields[absent] = forms.BooleanField(
                label=_("Absent"), required=False,
                widget=forms.CheckboxInput(attrs={"aria-label": _("%(candidate)s: absent") % {"candidate": who}}))
            cells = []
            for topic in topics:
                name = f"score_{booking.pk}_{topic.code}"
                if topic.code in weights.get(booking.level_id, {}):
                    self.fields[name] = forms.DecimalField(
                        label=topic.name, required=False, min_value=0, max_value=100, decimal_places=2,
                        widget=forms.NumberInput(attrs={
                            "step": "0.01", "class": "vIntegerField",
                            "aria-label": _("%(candidate)s: score in %(topic)s") % {"candidate": who,
                                                                                   "topic": topic.name}}))
                    cells.append((name, topic.code))
                else:
                    cells.append(None)
            self.lines.append((booking, absent, cells))

    def table(self):
        return [(booking, self[absent], [self[cell[0]] if cell else None for cell in cells])
                for booking, absent, cells in self.lines]

    def result_rows(self):
        from exams.services import ResultRow

        rows = []
        for booking, absent, cells in self.lines:
            scores = {code: self.cleaned_data[name] for name, code in filter(None, cells)
                      if self.cleaned_data.get(name) is not None}
            if self.cleaned_data.get(absent) or scores:
                rows.append(ResultRow(booking_id=booking.pk, absent=bool(self.cleaned_data.get(absent)),
                                      scores=scores, label=str(booking.candidate)))
        return rows
