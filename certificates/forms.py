import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.models import PDUCategory
from certificates.selectors import number_normalise
from certificates.services.pdus import EVIDENCE_KINDS, MAX_HOURS_PER_CLAIM
from documents.forms import DocumentField

NUMBER_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"), max_length=40,
        help_text=_("As printed on the certificate, e.g. IPMA-SM-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self) -> str:
        number = number_normalise(self.cleaned_data["number"])
        if not NUMBER_PATTERN.match(number):
            raise forms.ValidationError(_("A certificate number has letters, digits and hyphens only."))
        return number


class PDUClaimForm(forms.Form):
    activity = forms.CharField(label=_("Activity"), max_length=200,
                               help_text=_("E.g. the course, workshop, supervision or talk."))
    provider = forms.CharField(label=_("Provider"), max_length=200,
                               help_text=_("Who ran it (an organization or a person)."))
    activity_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}),
                                    help_text=_("When it took place (the last day, for a series)."))
    # No max_digits: the bounds below say all there is to say about the size (99999 is one error, not two).
    hours = forms.DecimalField(label=_("Hours (PDUs)"), decimal_places=1, min_value=Decimal("0.5"),
                               max_value=MAX_HOURS_PER_CLAIM, help_text=_("One hour is one PDU."))
    category = forms.ChoiceField(label=_("Category"), choices=PDUCategory.choices)
    evidence = DocumentField(
        label=_("Evidence"), kinds=EVIDENCE_KINDS,
        help_text=_("A certificate of attendance, a programme or a letter (PDF, JPEG, PNG or DOCX). "
                    "The committee checks it if your claim is drawn for audit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service's own words for hours out of bounds, whichever bound is crossed.
        out_of_bounds = gettext("Claim between 0.5 and %(max)s hours for one activity.") % {"max": MAX_HOURS_PER_CLAIM}
        self.fields["hours"].error_messages.update(min_value=out_of_bounds, max_value=out_of_bounds)
