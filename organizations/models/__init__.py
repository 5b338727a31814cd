from organizations.models.directory import DirectoryListing, DirectoryMessage, listing_search_vector
from organizations.models.organization import (
    Organization,
    OrganizationInvitation,
    OrganizationStaff,
    Sector,
    organization_search_vector,
)
from organizations.models.programme import (
    ACCREDITED_STATUSES,
    DECISIONS,
    OPEN_STATUSES,
    ORGANIZATION_HIDDEN_ACTIONS,
    TRANSITIONS,
    AccreditedMentor,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Audience,
    DocumentKind,
    EventAction,
    Programme,
    ProgrammeApplication,
    TrainingProvider,
    programme_search_vector,
)
from organizations.models.reports import AnnualReport, ReportStatus
from organizations.models.review import SCORE_MAX, Condition, ConditionStatus, Criterion, Review, Score
from organizations.models.sponsorship import (
    COVERS,
    OPEN_SPONSORSHIP,
    SHARES,
    Sponsorship,
    SponsorshipEvent,
    SponsorshipStatus,
)

__all__ = [
    "ACCREDITED_STATUSES", "DECISIONS", "OPEN_STATUSES", "ORGANIZATION_HIDDEN_ACTIONS", "SCORE_MAX", "TRANSITIONS",
    "AccreditedMentor", "AnnualReport", "ApplicationDocument", "ApplicationEvent", "ApplicationKind",
    "ApplicationStatus", "Audience", "Condition", "ConditionStatus", "Criterion", "DirectoryListing",
    "DirectoryMessage", "DocumentKind", "COVERS", "OPEN_SPONSORSHIP", "SHARES", "Sponsorship", "SponsorshipEvent", "SponsorshipStatus", "EventAction", "Organization", "OrganizationInvitation",
    "OrganizationStaff", "Programme", "ProgrammeApplication", "ReportStatus", "Review", "Score", "Sector",
    "TrainingProvider", "listing_search_vector", "organization_search_vector", "programme_search_vector",
]
