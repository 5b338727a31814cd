import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth.models import Group
from django.contrib.sites.shortcuts import get_current_site

from applicants.roles import APPLICANT
from notifications.services import outbox_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account mail (confirmation, password reset) goes through the outbox like every other mail."""
        # The context allauth's own send_mail gives its templates ("Hello from {{ current_site.name }}!").
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        outbox_enqueue(
            # Each request for such a mail is its own event: a second "resend" is a second mail.
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            to=message.to,
            subject=message.subject,
            body=message.body,
            html_body=html,
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get_or_create(name=APPLICANT)[0])
        return user
