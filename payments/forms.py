from django import forms
from django.utils.translation import gettext_lazy as _

from payments.models import MemberGroup
from payments.providers import providers_enabled
from payments.selectors import membership_plans


class PayForm(forms.Form):
    """The payer's choice among the providers enabled right now."""

    provider = forms.ChoiceField(label=_("How would you like to pay?"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        providers = providers_enabled()
        self.fields["provider"].choices = [(provider.code, provider.label) for provider in providers]
        self.method_notes = [(provider.label, provider.help_text) for provider in providers]
        if len(providers) == 1:
            self.fields["provider"].initial = providers[0].code


class MembershipPurchaseForm(forms.Form):
    plan = forms.ChoiceField(label=_("Plan"), widget=forms.RadioSelect)
    group = forms.ChoiceField(
        label=_("Which of these describes you best?"), choices=MemberGroup.choices, widget=forms.RadioSelect,
        help_text=_("Membership is open to everyone; this tells us who our members are."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [
            (plan.code, _("%(name)s: USD %(fee)s for %(months)s months") % {
                "name": plan.name, "fee": plan.fee, "months": plan.months,
            })
            for plan in membership_plans()
        ]
