from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from publications.models import Subscriber


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"))
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to receive every issue."),
    )
    consent = forms.BooleanField(
        label=_("I agree to receive the IPMA newsletter by email. I can unsubscribe with one click from every mail."),
    )

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics


class TopicsForm(forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["topics", "language"]
        widgets = {"topics": forms.CheckboxSelectMultiple}
        labels = {"language": _("Language of the newsletter")}

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        self.fields["language"].choices = settings.LANGUAGES


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the site"), max_length=200, required=False)
