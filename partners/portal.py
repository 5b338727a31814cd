"""Who may open the QTSP portal: public to other apps whose pages belong in the portal (fast-track referrals)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from partners.selectors import qtsps_for_staff


def portal_view(view):
    """Signed in and on the staff of at least one QTSP; which QTSP's data shows is the querysets' job."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not qtsps_for_staff(request.user).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
