"""Organization staff (owner, contact), as one use of the shared staff mechanism (``staff``).

An organization's coordinator is what the portal calls its contact (``CONTACT``), so both kinds of
organisation store the same role values.
"""

from django.utils.translation import gettext_lazy as _

from staff.models import StaffRole
from staff.schemes import StaffScheme, register

ORGANIZATION_STAFF = "Organization staff"
OWNER = StaffRole.OWNER
CONTACT = StaffRole.COORDINATOR
ROLE_LABELS = {OWNER: _("Owner"), CONTACT: _("Contact")}

organization_staff = register(
    StaffScheme(
        label="organization",
        membership_model="organizations.OrganizationStaff",
        invitation_model="organizations.OrganizationInvitation",
        group=ORGANIZATION_STAFF,
        invitation_template="organizations/email/staff_invitation",
        home_url_name="organizations:home",
        url_namespace="organizations",
        context_name="organization",
        header_template="organizations/includes/portal_header.html",
        role_labels=ROLE_LABELS,
        role_help=_("Owners also manage the staff and submit applications."),
    )
)
