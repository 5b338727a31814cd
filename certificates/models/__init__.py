from certificates.models.certificates import (
    CERTIFICATE_TRANSITIONS,
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
)
from certificates.models.notices import MembershipUpgradeCheck, RenewalReminder
from certificates.models.renewals import (
    PDU_TRANSITIONS,
    RENEWAL_OPEN_STATUSES,
    RENEWAL_TRANSITIONS,
    PDUAudit,
    PDUCategory,
    PDUClaim,
    PDUClaimEvent,
    PDUClaimStatus,
    Renewal,
    RenewalEvent,
    RenewalStatus,
)

__all__ = [
    "CERTIFICATE_TRANSITIONS", "PDU_TRANSITIONS", "RENEWAL_OPEN_STATUSES", "RENEWAL_TRANSITIONS",
    "Certificate", "CertificateEvent", "CertificateKind", "CertificateStatus",
    "MembershipUpgradeCheck", "PDUAudit", "PDUCategory", "PDUClaim", "PDUClaimEvent", "PDUClaimStatus",
    "Renewal", "RenewalEvent", "RenewalReminder", "RenewalStatus",
]
