"""Every change the organizations app makes, one function per business action (see the modules)."""

from organizations.services.accreditation import (
    HousekeepingRun,
    accreditation_revoke,
    accreditations_expire,
    annual_report_file,
    condition_answer,
    condition_review,
    organizations_housekeeping,
)
from organizations.services.applications import (
    CONTENT_FIELDS,
    application_missing,
    application_review_start,
    application_submit,
    application_update,
    application_withdraw,
    document_add,
    document_remove,
    mentor_accept,
    mentor_invite,
    mentor_remove,
    organization_register,
    organization_update,
    programme_application_start,
    renewal_start,
)
from organizations.services.directory import directory_message_send, listing_save
from organizations.services.review import (
    application_decide,
    review_assign,
    review_save,
)
from organizations.services.sponsorship import (
    fee_sponsor_answer,
    sponsor_key,
    sponsorship_accept,
    sponsorship_end,
    sponsorship_invite,
    sponsorship_shares_update,
)

__all__ = [
    "CONTENT_FIELDS", "HousekeepingRun", "accreditation_revoke", "accreditations_expire", "annual_report_file",
    "application_decide", "application_missing", "application_review_start",
    "application_submit", "application_update", "application_withdraw", "condition_answer", "condition_review",
    "directory_message_send", "document_add", "document_remove", "listing_save", "mentor_accept", "mentor_invite", "mentor_remove",
    "organization_register", "organization_update", "organizations_housekeeping", "programme_application_start",
    "renewal_start", "review_assign", "review_save", "fee_sponsor_answer", "sponsor_key", "sponsorship_accept",
    "sponsorship_end", "sponsorship_invite", "sponsorship_shares_update",
]
