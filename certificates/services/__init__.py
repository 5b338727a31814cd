"""Every change to certificates, PDU claims and renewals: one function per business action."""

from certificates.services.issuing import (
    certificate_issue,
    certificate_issue_programme,
    certificate_revoke,
    certificate_supersede,
    certificate_transition,
    certificates_expire,
)
from certificates.services.notices import membership_upgrade_notices_send, renewal_reminders_send
from certificates.services.pdus import (
    pdu_claim_approve,
    pdu_claim_reject,
    pdu_claim_submit,
    pdu_claim_withdraw,
)
from certificates.services.rendering import (
    certificate_render,
    certificate_render_enqueue,
    certificates_render_missing,
)
from certificates.services.renewals import (
    renewal_apply,
    renewal_approve,
    renewal_fee_is_paid,
    renewal_fee_paid,
    renewal_reject,
    renewal_withdraw,
)

__all__ = [
    "certificate_issue", "certificate_issue_programme", "certificate_render", "certificate_render_enqueue",
    "certificate_revoke", "certificate_supersede", "certificate_transition", "certificates_expire",
    "certificates_render_missing", "membership_upgrade_notices_send", "pdu_claim_approve", "pdu_claim_reject",
    "pdu_claim_submit", "pdu_claim_withdraw", "renewal_apply", "renewal_approve", "renewal_fee_is_paid",
    "renewal_fee_paid", "renewal_reject", "renewal_withdraw", "renewal_reminders_send",
]
