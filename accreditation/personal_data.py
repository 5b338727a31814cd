"""The applicant's level applications in their data copy and their erasure (AccreditationConfig hooks)."""

from django.utils.translation import gettext as _

from accreditation.models import ApplicationDocument, ApplicationStatus, LevelApplication
from applicants.personal_data import rows
from documents.storage import file_delete_on_commit

OPEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.INFORMATION_REQUESTED,
        ApplicationStatus.ACCEPTED_FOR_EXAM)
STATEMENTS = ("practice_statement", "equivalent_training_statement", "contribution_statement")


def data(user) -> dict:
    applications = LevelApplication.objects.filter(applicant=user).order_by("created_at")
    return {
        "applications": rows(applications, "number", "level__code", "status", *STATEMENTS, "rejection_reason",
                             "created_at", "submitted_at", "accepted_at", "exam_passed_at"),
        "documents": rows(ApplicationDocument.objects.filter(application__applicant=user).order_by("uploaded_at"),
                          "application__number", "kind", "original_name", "size", "uploaded_at"),
    }


def files(user):
    documents = ApplicationDocument.objects.filter(application__applicant=user).select_related("application")
    return [(f"{doc.application.number or doc.application_id}-{doc.pk}-{doc.original_name}", doc.file)
            for doc in documents]


def erase_blockers(user) -> list[str]:
    return [
        _("Your application %(number)s for %(level)s is %(status)s: withdraw it or wait for the committee's decision.")
        % {"number": application.number or application.pk, "level": application.level.name,
           "status": application.get_status_display().lower()}
        for application in LevelApplication.objects.filter(applicant=user, status__in=OPEN).select_related("level")
    ]


def erase(user) -> None:
    """Documents go; applications keep their number, level, status and dates for the register's history."""
    for document in ApplicationDocument.objects.filter(application__applicant=user):
        file_delete_on_commit(document.file)
    ApplicationDocument.objects.filter(application__applicant=user).delete()
    LevelApplication.objects.filter(applicant=user).update(**dict.fromkeys(STATEMENTS, ""))
