"""The mail sent to a person in their data copy, and its erasure (NotificationsConfig hooks)."""

from notifications.models import OutboxMessage


def _messages_to(user):
    return OutboxMessage.objects.filter(to__contains=[user.email])


def data(user) -> dict:
    # Subjects and dates only: sensitive bodies (sign-in links, codes) are never copied anywhere.
    return {"mail": list(_messages_to(user).order_by("created_at").values("subject", "created_at", "sent_at"))}


def erase(user) -> None:
    _messages_to(user).delete()
