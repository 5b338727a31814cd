from django.urls import path

from organizations.views import directory, logo, portal, sponsorship
from staff import views as staff_views

app_name = "organizations"
SCHEME = {"scheme": "organization"}  # the staff pages are the shared ones (staff.views)

urlpatterns = [
    # the organization portal (staff of the organization)
    path("organizations/", portal.home, name="home"),
    path("organizations/register/", portal.organization_register, name="register"),
    path("organizations/<int:pk>/", portal.organization_detail, name="detail"),
    path("organizations/<int:pk>/edit/", portal.organization_edit, name="edit"),
    path("organizations/<int:pk>/staff/", staff_views.staff_list, SCHEME, name="staff"),
    path("organizations/staff/<int:pk>/remove/", staff_views.member_remove, SCHEME, name="staff_remove"),
    path("organizations/invitations/<int:pk>/revoke/", staff_views.invitation_revoke, SCHEME, name="invitation_revoke"),
    path("organizations/<int:pk>/programmes/new/", portal.programme_start, name="programme_start"),
    path("organizations/applications/<int:pk>/", portal.application_detail, name="application_detail"),
    path("organizations/applications/<int:pk>/edit/", portal.application_edit, name="application_edit"),
    path("organizations/applications/<int:pk>/mentors/", portal.mentor_add, name="mentor_add"),
    path("organizations/mentors/<int:pk>/accept/", portal.mentor_accept, name="mentor_accept"),
    path("organizations/mentors/<int:pk>/remove/", portal.mentor_remove, name="mentor_remove"),
    path("organizations/applications/<int:pk>/documents/", portal.document_add, name="document_add"),
    path("organizations/documents/<int:pk>/", portal.document_download, name="document_download"),
    path("organizations/documents/<int:pk>/remove/", portal.document_remove, name="document_remove"),
    path("organizations/applications/<int:pk>/submit/", portal.application_submit, name="application_submit"),
    path("organizations/applications/<int:pk>/withdraw/", portal.application_withdraw, name="application_withdraw"),
    path("organizations/applications/<int:pk>/renew/", portal.renewal_start, name="renewal_start"),
    path("organizations/applications/<int:pk>/certificate.pdf", portal.certificate_download, name="certificate"),
    path("organizations/conditions/<int:pk>/answer/", portal.condition_answer, name="condition_answer"),
    path("organizations/reports/<int:pk>/", portal.report_file, name="report_file"),
    path("organizations/applications/<int:pk>/logo-kit/", logo.logo_kit, name="logo_kit"),
    path("organizations/applications/<int:pk>/logo-kit/mark.svg", logo.logo_svg, name="logo_svg"),
    path("organizations/applications/<int:pk>/logo-kit/mark.png", logo.logo_png, name="logo_png"),
    path("organizations/applications/<int:pk>/logo-kit/kit.zip", logo.logo_zip, name="logo_zip"),
    # sponsored people: the employer's page, and the employee's own
    path("organizations/<int:pk>/sponsorships/", sponsorship.sponsorship_list, name="sponsorships"),
    path("organizations/sponsorships/<int:pk>/end/", sponsorship.sponsorship_end_by_organization,
         name="sponsorship_end"),
    path("sponsorships/<int:pk>/accept/", sponsorship.sponsorship_accept, name="sponsorship_accept"),
    path("sponsorships/<int:pk>/", sponsorship.my_sponsorship, name="my_sponsorship"),
    path("sponsorships/<int:pk>/end/", sponsorship.my_sponsorship_end, name="my_sponsorship_end"),
    # the public directory
    path("directory/", directory.directory, name="directory"),
    path("directory/mentors/<int:pk>/", directory.mentor_detail, name="mentor"),
    path("directory/my-entry/", directory.listing_edit, name="listing_edit"),
    path("directory/badges/<str:number>.svg", logo.badge, name="badge"),
]
