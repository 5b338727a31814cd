from applicants.roles import APPLICANT, COMMITTEE_REVIEWER, QTSP_STAFF, groups_generation, user_roles


def roles(request) -> dict:
    """Which parts of the navigation the viewer gets: the roles the staff-session middleware read, unless groups
    changed since (in this process: a POST that accepted a staff invitation) or they were someone else's."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    owner, names, generation = getattr(request, "user_roles", (None, None, None))
    if names is None or owner != user.pk or generation != groups_generation():
        names = user_roles(user)
    return {
        "is_applicant": APPLICANT in names,
        "is_reviewer": COMMITTEE_REVIEWER in names or (user.is_authenticated and user.is_staff),
        "is_qtsp_staff": QTSP_STAFF in names,
    }
