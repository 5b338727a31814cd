from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import ContactTopic


class ContactForm(forms.Form):
    topic = forms.ChoiceField(label=_("What is your message about?"), choices=ContactTopic.choices)
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), help_text=_("We answer at this address."))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000)
    # A field people never see (hidden by CSS, skipped by screen readers); robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
