"""Organization staff (owner, contact) as one use of the shared staff mechanism in ``partners.membership``.

The shared roles are owner and coordinator; an organization's coordinator is what the portal calls its
contact (``CONTACT`` below), so both kinds of organisation keep one set of role values.
"""

from django.utils.translation import gettext_lazy as _

from partners.membership import StaffRole, StaffScheme, register

ORGANIZATION_STAFF = "Organization staff"
OWNER = StaffRole.OWNER
CONTACT = StaffRole.COORDINATOR
ROLE_LABELS = {OWNER: _("Owner"), CONTACT: _("Contact")}
ROLE_CHOICES = [(OWNER, ROLE_LABELS[OWNER]), (CONTACT, ROLE_LABELS[CONTACT])]

organization_staff = register(
    StaffScheme(
        label="organization",
        membership_model="organizations.OrganizationStaff",
        invitation_model="organizations.OrganizationInvitation",
        group=ORGANIZATION_STAFF,
        invitation_template="organizations/email/staff_invitation",
        home_url_name="organizations:home",
        role_labels=ROLE_LABELS,
    )
)
