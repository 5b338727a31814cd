from applicants.roles import APPLICANT, COMMITTEE_REVIEWER, QTSP_STAFF, user_roles


def roles(request) -> dict:
    """Which parts of the navigation the viewer gets: on a GET, the roles the staff-session middleware read."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    owner, names = getattr(request, "user_roles", (None, None))
    if names is None or owner != user.pk:
        names = user_roles(user)
    return {
        "is_applicant": APPLICANT in names,
        "is_reviewer": COMMITTEE_REVIEWER in names or (user.is_authenticated and user.is_staff),
        "is_qtsp_staff": QTSP_STAFF in names,
    }
