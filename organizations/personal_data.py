"""Directory listing and organization roles in the person's data copy and their erasure (OrganizationsConfig hooks)."""

from django.utils.translation import gettext as _

from applicants.personal_data import rows
from organizations.models import DirectoryListing, OrganizationStaff


def data(user) -> dict:
    return {
        "directory_listing": rows(DirectoryListing.objects.filter(user=user), "opted_in", "display_name", "headline",
                                  "profile", "country", "city", "languages", "sectors", "accepts_contact",
                                  "updated_at"),
        "organization_staff": rows(OrganizationStaff.objects.filter(user=user), "organisation__legal_name", "role",
                                   "created_at"),
    }


def erase_blockers(user) -> list[str]:
    return [_("You are on the staff of %(organization)s: ask a colleague there to remove you first.")
            % {"organization": membership.organisation.legal_name}
            for membership in OrganizationStaff.objects.filter(user=user).select_related("organisation")]


def erase(user) -> None:
    DirectoryListing.objects.filter(user=user).delete()
