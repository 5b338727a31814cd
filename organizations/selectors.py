"""Reads of the organizations app, starting with the one rule for who sees what.

An organization's private data (its applications, documents, conditions, reports and logo kit) is for
its staff: every portal view builds its queryset on ``applications_for_staff(user)``. Reviewers see
applications in the admin; of the reviews, each reviewer sees their own, and everyone's only once all
the required reviews are in (``reviews_visible_to``): the second reviewer is blind to the first.
"""

from __future__ import annotations

import operator
import unicodedata
from datetime import date
from functools import reduce

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from accreditation.selectors import levels_in_order
from applicants.roles import COMMITTEE_REVIEWER
from certificates.selectors import certificate_pdf, certificate_verify, certificates_active
from organizations.models import (
    ORGANIZATION_HIDDEN_ACTIONS,
    AccreditedMentor,
    AnnualReport,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    Condition,
    DirectoryListing,
    Organization,
    OrganizationStaff,
    Programme,
    ProgrammeApplication,
    Review,
    Score,
    Sponsorship,
    SponsorshipStatus,
    listing_search_vector,
    organization_search_vector,
    programme_search_vector,
)
from organizations.models.organization import SEARCH_CONFIG, SEARCH_STEMMING_CONFIG, SearchFold, search_vector
from organizations.models.programme import PROGRAMME_FEE_KIND
from organizations.staff import OWNER, organization_staff
from partners.selectors import directory_qtsps as partners_directory_qtsps
from payments.selectors import invoice_for
from workflows.search import search_words

# ---- the permission rule --------------------------------------------------------------------------------


def organizations_for_staff(user) -> QuerySet[Organization]:
    """The organizations whose portal ``user`` may use (none for anonymous users)."""
    return organization_staff.organisations_of(user)


def applications_for_staff(user) -> QuerySet[ProgrammeApplication]:
    return ProgrammeApplication.objects.filter(
        programme__organization__in=organizations_for_staff(user)
    ).select_related("programme__organization")


def mentor_certificates(*, user):
    """The user's own valid individual certificates, which they may name when accepting a mentor invitation."""
    return certificates_active().filter(holder=user).order_by("number")


def mentor_invitations(*, user) -> QuerySet[AccreditedMentor]:
    """Open mentor invitations to one of the user's verified addresses, on drafts still being filled in."""
    if not getattr(user, "is_authenticated", False):
        return AccreditedMentor.objects.none()
    addresses = EmailAddress.objects.filter(user=user, verified=True).annotate(lower=Lower("email")).values("lower")
    return (
        AccreditedMentor.objects.filter(accepted_at__isnull=True, application__status=ApplicationStatus.DRAFT)
        .annotate(email_lower=Lower("email")).filter(email_lower__in=Subquery(addresses))
        .select_related("application__programme__organization")
        .order_by("invited_at", "pk")
    )


def staff_role(*, user, organization: Organization) -> str | None:
    return organization_staff.role_of(user=user, organisation=organization)


def is_owner(*, user, organization: Organization) -> bool:
    return staff_role(user=user, organization=organization) == OWNER


def is_reviewer(user) -> bool:
    """Committee members who may read programme applications in the admin."""
    return user.is_authenticated and user.is_staff and user.has_perm("organizations.view_programmeapplication")


def document_visible_to(*, user, document: ApplicationDocument) -> bool:
    if is_reviewer(user):
        return True
    return applications_for_staff(user).filter(pk=document.application_id).exists()


def staff_emails(*, organization_id: int) -> list[str]:
    return list(
        OrganizationStaff.objects.filter(organisation_id=organization_id, user__is_active=True)
        .order_by("pk").values_list("user__email", flat=True)
    )


def committee_emails() -> list[str]:
    return list(
        get_user_model().objects.filter(groups__name=COMMITTEE_REVIEWER, is_active=True)
        .order_by("pk").values_list("email", flat=True).distinct()
    )


# ---- the organization portal ----------------------------------------------------------------------------


def portal_organizations(*, user) -> QuerySet[Organization]:
    """The user's organizations with their programmes and each programme's applications (3 queries)."""
    return organizations_for_staff(user).prefetch_related(
        "programmes",
        Prefetch("programmes__applications", queryset=ProgrammeApplication.objects.order_by("-created_at", "-pk")),
    ).order_by("legal_name")


def application_detail(*, user, pk: int) -> ProgrammeApplication:
    """One application of the user's organizations with what its page shows (raises DoesNotExist)."""
    return (
        applications_for_staff(user)
        .select_related("previous", "decided_by")
        .prefetch_related(
            "mentors",
            Prefetch("documents", queryset=ApplicationDocument.objects.select_related("uploaded_by")),
            Prefetch("conditions", queryset=Condition.objects.order_by("due_on", "pk")),
            Prefetch("reports", queryset=AnnualReport.objects.order_by("year")),
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.exclude(action__in=ORGANIZATION_HIDDEN_ACTIONS).select_related("actor"),
                to_attr="visible_events",
            ),
        )
        .get(pk=pk)
    )


ENDED_RENEWAL_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


def renewal_allowed(application: ProgrammeApplication, *, today: date | None = None) -> bool:
    """A renewal can start from the renewal window before expiry, and after expiry, unless one is under way
    or has succeeded (a rejected or withdrawn renewal does not count)."""
    from django.conf import settings

    if application.status not in (ApplicationStatus.ACCREDITED, ApplicationStatus.CONDITIONAL,
                                  ApplicationStatus.EXPIRED):
        return False
    if application.valid_until is None:
        return False
    if application.renewals.exclude(status__in=ENDED_RENEWAL_STATUSES).exists():
        return False
    today = today or timezone.localdate()
    return (application.valid_until - today).days <= settings.ORGANIZATIONS_RENEWAL_WINDOW_DAYS


# ---- the blind review -----------------------------------------------------------------------------------


def reviews_visible_to(user) -> QuerySet[Review]:
    """A reviewer's own reviews, and all reviews of applications whose required reviews are all in."""
    if not user.is_authenticated:
        return Review.objects.none()
    return Review.objects.filter(Q(reviewer=user) | Q(application__reviews_completed_at__isnull=False))


def scores_visible_to(user) -> QuerySet[Score]:
    return Score.objects.filter(review__in=reviews_visible_to(user)).select_related("criterion", "review__reviewer")


# ---- the logo kit ---------------------------------------------------------------------------------------


def logo_kit_available(application: ProgrammeApplication, *, today: date | None = None) -> bool:
    """Only while accredited: decided so, within its dates, and its certificate valid in the register now."""
    today = today or timezone.localdate()
    if application.status not in (ApplicationStatus.ACCREDITED, ApplicationStatus.CONDITIONAL):
        return False
    if not application.certificate_number or application.valid_from is None or application.valid_until is None:
        return False
    if not application.valid_from <= today <= application.valid_until:
        return False
    certificate = certificate_verify(application.certificate_number)
    return certificate is not None and certificate.is_valid


def application_certificate_pdf(application: ProgrammeApplication):
    """The accreditation's certificate PDF (a FieldFile), or None while there is none (yet)."""
    return certificate_pdf(application.certificate_number) if application.certificate_number else None


def application_invoice_number(application: ProgrammeApplication) -> str | None:
    """The number of the accreditation fee's invoice, to link to it; None when there is none."""
    invoice = invoice_for(kind=PROGRAMME_FEE_KIND, reference=application.payment_reference)
    return invoice.number if invoice is not None else None


def accreditation_by_certificate(number: str) -> ProgrammeApplication | None:
    """The accreditation a public badge names, only while it is in force (else None)."""
    application = (
        ProgrammeApplication.objects.accredited_now().select_related("programme__organization")
        .filter(certificate_number=number).first()
    )
    if application is None or not logo_kit_available(application):
        return None
    return application


def dashboard_summary(*, user) -> dict:
    """The dashboard panel: the user's organizations with programmes and applications, and their listing."""
    return {
        "organizations": list(portal_organizations(user=user)),
        "listing": DirectoryListing.objects.filter(user=user).first(),
        "mentor_invitations": list(mentor_invitations(user=user)),
        "sponsorships": list(sponsorships_for_dashboard(user=user)),
    }


# ---- the public directory -------------------------------------------------------------------------------
# Every list filters on the live status: the listing's opt-in and the certificate register's "in force"
# for mentors, the accreditation's status and dates (and its certificate) for programmes. Nothing is
# copied, so an expiry, a revocation or an opt-out removes an entry with the next page load.


# The search: what a visitor types is a list of word starts ("Ken", "Okaf", "teach"), all required, whatever the case
# and the accents ("Lucia" finds "Lucía", and the other way round). Each word is quoted as one tsquery lexeme with a
# prefix mark; ``search_words`` (the committee lists' rule) lets through only letters, digits and ``_@.-``, so no
# tsquery syntax reaches PostgreSQL, and it refuses more than 10 words or one longer than any text (nothing found).
# A word also matches as the start of its English stem ("mentoring" finds "mentored", "hospitals" "hospital").


def _search_words(text: str) -> list[str]:
    # Composed first, so that an accent typed as a combining mark stays inside its word.
    words = search_words(unicodedata.normalize("NFKC", text)) or []
    return [word for word in words if any(character.isalnum() for character in word)]


def _word_query(word: str) -> SearchQuery:
    lexeme = SearchFold(Value(f"'{word}':*"))
    return (SearchQuery(lexeme, search_type="raw", config=SEARCH_CONFIG)
            | SearchQuery(lexeme, search_type="raw", config=SEARCH_STEMMING_CONFIG))


def _search_query(words: list[str]) -> SearchQuery:
    return reduce(operator.and_, (_word_query(word) for word in words))


def _level_name() -> Case:
    """A certificate's level name in the active language, from the levels kept in memory (the level's own column
    would be the untranslated one)."""
    return Case(*(When(level_id=level.pk, then=Value(level.name)) for level in levels_in_order()), default=Value(""))


def directory_mentors(*, q: str = "", level: str = "", country: str = "", language: str = "", sector: str = ""):
    """Opted-in mentors whose certificate is in force, with their highest level; one query per page."""
    active = certificates_active()
    best = active.filter(holder=OuterRef("user")).order_by("-level__rank")
    listings = (
        DirectoryListing.objects.filter(opted_in=True)
        .annotate(
            certificate_number=Subquery(best.values("number")[:1]),
            level_code=Subquery(best.values("level__code")[:1]),
            level_name=Subquery(best.values(name=_level_name())[:1]),
        )
        .filter(certificate_number__isnull=False)
    )
    if level:
        listings = listings.filter(Exists(active.filter(holder=OuterRef("user"), level__code=level)))
    if country:
        listings = listings.filter(country=country)
    if language:
        listings = listings.filter(languages__contains=[language])
    if sector:
        listings = listings.filter(sectors__contains=[sector])
    if q.strip():
        words = _search_words(q)
        if not words:
            return listings.none()
        query = _search_query(words)
        return listings.annotate(search=listing_search_vector(), rank=SearchRank(listing_search_vector(), query)) \
            .filter(search=query).order_by("-rank", "display_name", "pk")
    return listings.order_by("display_name", "pk")


def directory_mentor(*, pk: int) -> DirectoryListing:
    """One mentor's public entry, only while it is listed (raises DirectoryListing.DoesNotExist)."""
    return directory_mentors().select_related("user").get(pk=pk)


def directory_programmes(*, q: str = "", country: str = "", sector: str = ""):
    """Accredited programmes in force with their organization; one query per page."""
    accreditations = ProgrammeApplication.objects.accredited_now().select_related("programme__organization")
    # The accreditation's certificate must be in force in the register too (not revoked there).
    accreditations = accreditations.filter(Exists(certificates_active().filter(number=OuterRef("certificate_number"))))
    if country:
        accreditations = accreditations.filter(programme__organization__country=country)
    if sector:
        accreditations = accreditations.filter(programme__organization__sector=sector)
    if q.strip():
        words = _search_words(q)
        if not words:
            return accreditations.none()
        # A word may be in the programme or in its organization ("Circles Lagos"): per word, the programmes that
        # match it by either index.
        for word in words:
            query = _word_query(word)
            programmes = Programme.objects.annotate(search=programme_search_vector()).filter(search=query)
            organizations = Organization.objects.annotate(search=organization_search_vector()).filter(search=query)
            accreditations = accreditations.filter(Q(programme__in=programmes.values("pk"))
                                                   | Q(programme__organization__in=organizations.values("pk")))
    return accreditations.order_by("programme__organization__legal_name", "programme__name", "pk")


def directory_qtsps(*, q: str = "", level: str = "", country: str = ""):
    """Approved QTSPs from partners, filtered the same way."""
    qtsps = partners_directory_qtsps()
    if level:
        qtsps = qtsps.filter(levels__code=level)
    if country:
        qtsps = qtsps.filter(country=country)
    if q.strip():
        words = _search_words(q)
        if not words:
            return qtsps.none()
        # The QTSP table belongs to partners: searched the same way, without an index of ours (a few dozen rows).
        qtsps = qtsps.annotate(search=search_vector("name", "city", "description")).filter(search=_search_query(words))
    return qtsps.order_by("country", "city", "name", "pk")


# ---- sponsorships ----------------------------------------------------------------------------------------


def sponsorship_active(*, person) -> Sponsorship | None:
    """The organization paying for ``person`` now, if any (at most one, by constraint)."""
    return (Sponsorship.objects.filter(person=person, status=SponsorshipStatus.ACTIVE)
            .select_related("organization").first())


def sponsor_billing_user(*, organization: Organization):
    """Whom the sponsor's monthly invoice is addressed to: its longest-standing owner."""
    membership = organization.staff.filter(role=OWNER).select_related("user").order_by("created_at", "pk").first()
    return membership.user if membership is not None else None


def sponsorship_invitations(*, user) -> QuerySet[Sponsorship]:
    """Open sponsorship invitations to one of the user's verified addresses."""
    if not getattr(user, "is_authenticated", False):
        return Sponsorship.objects.none()
    addresses = EmailAddress.objects.filter(user=user, verified=True).annotate(lower=Lower("email")).values("lower")
    return (Sponsorship.objects.filter(status=SponsorshipStatus.INVITED)
            .annotate(email_lower=Lower("email")).filter(email_lower__in=Subquery(addresses))
            .select_related("organization").order_by("invited_at", "pk"))


def sponsorships_of(*, user) -> QuerySet[Sponsorship]:
    """The user's own active sponsorship(s), which only they may change or end."""
    if not getattr(user, "is_authenticated", False):
        return Sponsorship.objects.none()
    return Sponsorship.objects.filter(person=user, status=SponsorshipStatus.ACTIVE).select_related("organization")


def sponsorships_for_dashboard(*, user) -> QuerySet[Sponsorship]:
    """The user's active sponsorship and open invitations to them, in one query."""
    if not getattr(user, "is_authenticated", False):
        return Sponsorship.objects.none()
    addresses = EmailAddress.objects.filter(user=user, verified=True).annotate(lower=Lower("email")).values("lower")
    return (Sponsorship.objects.annotate(email_lower=Lower("email"))
            .filter(Q(status=SponsorshipStatus.INVITED, email_lower__in=Subquery(addresses))
                    | Q(status=SponsorshipStatus.ACTIVE, person=user))
            .select_related("organization").order_by("invited_at", "pk"))
