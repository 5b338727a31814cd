import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy

from applicants.roles import APPLICANT
from ipma_portal.encryption import fernet_from_passphrases
from notifications.services import outbox_enqueue

# Django 5.2's MinimumLengthValidator asks for this wording, which Django's own zh_Hans catalog lacks (it holds the
# older "%(min_length)d" one): the portal's catalog translates it, and this mark keeps it there for makemessages.
PASSWORD_TOO_SHORT = ngettext_lazy("This password is too short. It must contain at least %d character.",
                                   "This password is too short. It must contain at least %d characters.", "length")
# allauth's zh_Hans catalog gives its two-factor refusal as 错误代码 ("error code"); the portal's catalog, read
# first, says the code is not right.
INCORRECT_CODE = gettext_lazy("Incorrect code.")


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account mail (confirmation, password reset, sign-in codes) goes through the outbox, sealed.

        Every mail of this adapter concerns one person's account and most carry a secret (a link or
        a code that signs in), so all of them are queued as sensitive: encrypted, hidden from staff
        and erased once sent.
        """
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
            sensitive=True,
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        # Mail written while the person is away (a decision, a reminder) is in the language they signed up in,
        # until they choose another on their profile.
        language = translation.get_language()
        if not user.preferred_language and language in dict(settings.LANGUAGES):
            user.preferred_language = language
        if commit:
            user.save()
            user.groups.add(Group.objects.get_or_create(name=APPLICANT)[0])
        return user


# Encrypted values carry this prefix; a value without it is a secret stored before encryption
# (e.g. a demo authenticator of an older database) and is read as it is until migration 0004 seals it.
SEALED_PREFIX = "fernet:"


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with MFA_ENCRYPTION_KEY."""

    def encrypt(self, text: str) -> str:
        return mfa_seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_unseal(encrypted_text)


def _mfa_fernet():
    return fernet_from_passphrases(settings.MFA_ENCRYPTION_KEY, purpose="mfa")


def mfa_seal(text: str) -> str:
    if text.startswith(SEALED_PREFIX):
        return text
    return SEALED_PREFIX + _mfa_fernet().encrypt(text.encode()).decode()


def mfa_unseal(value: str) -> str:
    if not value.startswith(SEALED_PREFIX):
        return value
    try:
        return _mfa_fernet().decrypt(value.removeprefix(SEALED_PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise ValueError("an authenticator secret cannot be decrypted: is MFA_ENCRYPTION_KEY the one it was sealed with?") from exc
