"""A programme's review against the curriculum: its syllabus, the QTSP's submission, the committee's decision.

Only an approved programme counts for eligibility (``partners.training``). While a programme is a draft or
has changes requested, the QTSP edits it and its syllabus; once submitted it waits for the committee.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from partners.conflicts import qtsp_people
from partners.models import ProgrammeStatus, SyllabusItem, TrainingProgramme
from partners.services.qtsps import qtsp_require_active
from workflows.conflicts import decision_conflict_check
from workflows.services import transition

EDITABLE_STATUSES = frozenset({ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED})


def curriculum_topics():
    """The eight essential courses (the exam curriculum's topics), in their order."""
    return SyllabusItem._meta.get_field("topic").related_model.objects.order_by("position")


def _locked(programme: TrainingProgramme) -> TrainingProgramme:
    return TrainingProgramme.objects.select_for_update(of=("self",)).select_related("qtsp", "level").get(pk=programme.pk)


@transaction.atomic
def syllabus_save(*, programme: TrainingProgramme, actor, hours_by_topic: dict[int, int]) -> list[SyllabusItem]:
    """Set the hours the programme gives to each course (0 or missing removes the line)."""
    programme = _locked(programme)
    qtsp_require_active(programme.qtsp)
    if programme.status not in EDITABLE_STATUSES:
        raise ValidationError(_("The syllabus of a programme that is %(status)s cannot be changed.")
                              % {"status": programme.get_status_display().lower()})
    topics = {topic.pk: topic for topic in curriculum_topics()}
    unknown = set(hours_by_topic) - set(topics)
    if unknown:
        raise ValidationError(_("Choose courses of the curriculum only."))
    if any(hours is None or hours < 0 for hours in hours_by_topic.values()):
        raise ValidationError(_("Hours per course cannot be negative."))
    programme.syllabus.all().delete()
    return SyllabusItem.objects.bulk_create(
        SyllabusItem(programme=programme, topic=topics[topic_id], hours=hours)
        for topic_id, hours in sorted(hours_by_topic.items(), key=lambda item: topics[item[0]].position) if hours
    )


def submission_problems(programme: TrainingProgramme) -> list[str]:
    """What keeps the programme from being submitted: the syllabus must cover every course and add up."""
    problems = []
    covered = dict(programme.syllabus.values_list("topic_id", "hours"))
    missing = [topic.name for topic in curriculum_topics() if topic.pk not in covered]
    if missing:
        problems.append(_("Give hours to every essential course; missing: %(courses)s.")
                        % {"courses": ", ".join(missing)})
    total = sum(covered.values())
    if covered and total != programme.required_hours:
        problems.append(_("The syllabus adds up to %(syllabus)s h but the programme has %(total)s h.")
                        % {"syllabus": total, "total": programme.required_hours})
    return problems


@transaction.atomic
def programme_submit(*, programme: TrainingProgramme, actor) -> TrainingProgramme:
    """The QTSP sends the programme and its syllabus to the committee."""
    programme = _locked(programme)
    qtsp_require_active(programme.qtsp)
    programme.check_transition(ProgrammeStatus.SUBMITTED)
    problems = submission_problems(programme)
    if problems:
        raise ValidationError(problems)
    programme.submitted_at = timezone.now()
    transition(programme, ProgrammeStatus.SUBMITTED, actor=actor, update_fields=["submitted_at"])
    return programme


DECISION_STATUSES = (ProgrammeStatus.APPROVED, ProgrammeStatus.CHANGES_REQUESTED, ProgrammeStatus.REJECTED)


@transaction.atomic
def programme_decide(*, programme: TrainingProgramme, to_status: str, actor, note: str = "") -> TrainingProgramme:
    """The committee approves the programme, asks for changes or rejects it (with reasons); the QTSP is told."""
    programme = _locked(programme)
    # The QTSP's applicant and staff (and their colleagues) do not review its programmes.
    decision_conflict_check(decider=actor, person=None, people=qtsp_people(programme.qtsp))
    if to_status not in DECISION_STATUSES:
        raise ValidationError(_("Approve, request changes or reject."))
    programme.check_transition(to_status)
    if to_status != ProgrammeStatus.APPROVED and not note.strip():
        raise ValidationError(_("Give the reasons; they are sent to the QTSP."))
    programme.decided_at = timezone.now()
    event = transition(programme, to_status, actor=actor, note=note, update_fields=["decided_at"])
    outbox_enqueue_template(
        key=f"programme-decided:{programme.pk}:{event.pk}",
        to=programme.qtsp.contact_email,
        template="partners/email/programme_decided",
        context={"programme": programme, "qtsp": programme.qtsp, "note": note,
                 "status": programme.get_status_display()},
    )
    return programme
