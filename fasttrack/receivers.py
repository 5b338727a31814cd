"""What fasttrack answers when accreditation asks (connected in FasttrackConfig.ready)."""

from fasttrack.selectors import fasttrack_accepted
from partners.selectors import fasttrack_training_completed


def eligibility_facts_received(sender, *, user, level_code: str, **kwargs) -> dict[str, bool]:
    """accreditation.signals.eligibility_facts_requested: the fast-track facts of the Senior Mentor checklist."""
    if level_code != "SM":
        return {}  # the fast track leads to Senior Mentor only: no other level's checklist reads these facts
    return {
        "fasttrack_accepted": fasttrack_accepted(user=user),
        "fasttrack_training_completed": fasttrack_training_completed(user=user),
    }
