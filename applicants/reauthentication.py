"""allauth's page that mails a code before a sensitive account change, with its one field named in words.

allauth heads that field "Recipient", a label outside any catalogue; it is the address the code goes to.
(Not in ``applicants.forms``: allauth's forms module imports that one for the sign-up form.)
"""

from allauth.account.forms import RequestReauthenticationCodeForm
from allauth.account.views import RequestReauthenticationCodeView
from django.utils.translation import gettext_lazy as _


class ReauthenticationCodeRequestForm(RequestReauthenticationCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].label = _("Email address")


class ReauthenticationCodeRequestView(RequestReauthenticationCodeView):
    form_class = ReauthenticationCodeRequestForm


request_reauthentication_code = ReauthenticationCodeRequestView.as_view()
