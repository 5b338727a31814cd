"""The fast-track application, its CV and proofs in the data copy and their erasure (FasttrackConfig hooks)."""

from django.utils.translation import gettext as _

from applicants.personal_data import rows
from documents.storage import file_delete_on_commit
from fasttrack.models import CriterionClaim, FastTrackApplication, ProofDocument

Status = FastTrackApplication.Status
OPEN = (Status.SUBMITTED, Status.INFORMATION_REQUESTED)


def data(user) -> dict:
    return {
        "applications": rows(FastTrackApplication.objects.filter(applicant=user).order_by("created_at"), "pk",
                             "status", "cv_name", "country", "city", "created_at", "submitted_at", "decided_at"),
        "criteria": rows(CriterionClaim.objects.filter(application__applicant=user), "application", "criterion"),
        "proofs": rows(ProofDocument.objects.filter(claim__application__applicant=user), "claim__application",
                       "original_name", "uploaded_at"),
    }


def files(user):
    cvs = [(f"{application.pk}-cv-{application.cv_name or 'cv'}", application.cv)
           for application in FastTrackApplication.objects.filter(applicant=user)]
    proofs = [(f"{proof.claim.application_id}-{proof.pk}-{proof.original_name}", proof.file)
              for proof in ProofDocument.objects.filter(claim__application__applicant=user).select_related("claim")]
    return cvs + proofs


def erase_blockers(user) -> list[str]:
    if FastTrackApplication.objects.filter(applicant=user, status__in=OPEN).exists():
        return [_("Your fast-track application is with the committee: withdraw it or wait for the decision.")]
    return []


def erase(user) -> None:
    applications = FastTrackApplication.objects.filter(applicant=user)
    for application in applications:
        file_delete_on_commit(application.cv)
    for proof in ProofDocument.objects.filter(claim__application__applicant=user):
        file_delete_on_commit(proof.file)
    ProofDocument.objects.filter(claim__application__applicant=user).delete()
    applications.update(cv="", cv_name="", city="", latitude=None, longitude=None)
