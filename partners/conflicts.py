"""What a QTSP adds to the conflict-of-interest policy (``workflows.conflicts``): its staff and its trainees."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from partners.models import QTSPStaff
from partners.selectors import staff_qtsp_ids, trainee_qtsp_ids
from workflows.conflicts import conflict_relations


@receiver(conflict_relations, dispatch_uid="partners.qtsp_conflict")
def qtsp_conflict(sender, *, decider, person, **kwargs) -> str | None:
    """A trainee of a QTSP the decider is staff of, or a colleague on the staff of the same QTSP."""
    decider_qtsps = staff_qtsp_ids(user=decider)
    if not decider_qtsps:
        return None
    if decider_qtsps & trainee_qtsp_ids(user=person):
        return _("a trainee of a QTSP you are staff of")
    if decider_qtsps & staff_qtsp_ids(user=person):
        return _("staff of the same QTSP")
    return None


def qtsp_people(qtsp) -> list:
    """Whom a decision about a QTSP is about: the person who applied for it and its staff."""
    staff = [membership.user for membership in QTSPStaff.objects.filter(organisation=qtsp).select_related("user")]
    return [qtsp.applied_by, *staff] if qtsp.applied_by_id else staff
