"""The content editor: a staff role that runs the public pages, FAQ, leadership, publications and mailings."""

from django.utils.translation import gettext_lazy as _

CONTENT_EDITOR = "Content editor"

CONTENT_EDITOR_PERMISSIONS = {
    f"content.{action}_{model}"
    for model in ("expert", "page", "faqgroup", "faqentry", "leadershipterm")
    for action in ("view", "add", "change", "delete")
} | {"content.view_contactmessage", "content.view_historicalpage", "content.view_historicalfaqentry",
     "content.view_historicalfaqgroup", "content.view_historicalleadershipterm", "exams.view_topic"}


def role_register(permissions: set[str]) -> None:
    """Add permissions to the content editor's group; applicants' roles_sync applies them after migrate."""
    from applicants.roles import ROLE_LABELS, ROLE_PERMISSIONS

    ROLE_LABELS.setdefault(CONTENT_EDITOR, _("Content editor"))
    ROLE_PERMISSIONS.setdefault(CONTENT_EDITOR, set()).update(permissions)
