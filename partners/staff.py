"""The QTSPs' staff, as one use of the shared staff mechanism (``staff``)."""

from django.utils.translation import gettext_lazy as _

from applicants.roles import QTSP_STAFF
from staff.models import StaffRole
from staff.schemes import StaffScheme, register

qtsp_staff = register(
    StaffScheme(
        label="qtsp",
        membership_model="partners.QTSPStaff",
        invitation_model="partners.QTSPInvitation",
        group=QTSP_STAFF,
        invitation_template="partners/email/staff_invitation",
        home_url_name="partners:portal",
        url_namespace="partners",
        context_name="qtsp",
        header_template="partners/includes/portal_header.html",
        role_labels={StaffRole.OWNER: _("Owner"), StaffRole.COORDINATOR: _("Coordinator")},
        # A suspended QTSP's staff still see their pages (read-only); applicants and refused ones have none.
        portal_filter={"status__in": ["approved", "suspended"]},
    )
)
