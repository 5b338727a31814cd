"""The QTSPs' staff, as one use of the shared staff mechanism in ``partners.membership``."""

from applicants.roles import QTSP_STAFF
from partners.membership import StaffScheme, register

qtsp_staff = register(
    StaffScheme(
        label="qtsp",
        membership_model="partners.QTSPStaff",
        invitation_model="partners.QTSPInvitation",
        group=QTSP_STAFF,
        invitation_template="partners/email/staff_invitation",
        home_url_name="partners:portal",
    )
)
