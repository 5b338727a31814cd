from django.db import transaction

from applicants.models import User


@transaction.atomic
def user_preferences_update(*, user: User, full_name: str, time_zone: str, preferred_language: str) -> User:
    """Save how the person wants to be addressed and see dates and pages."""
    user.full_name = full_name
    user.time_zone = time_zone
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "time_zone", "preferred_language"])
    return user
