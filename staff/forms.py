from django import forms
from django.utils.translation import gettext_lazy as _

from staff.models import StaffRole
from staff.schemes import StaffScheme


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), initial=StaffRole.COORDINATOR)

    def __init__(self, *args, scheme: StaffScheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = scheme.role_choices()
        self.fields["role"].help_text = scheme.role_help
