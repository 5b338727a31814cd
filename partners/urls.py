from django.urls import path

from partners import finder_views, views
from partners.portal import portal_view
from staff import views as staff_views

app_name = "partners"
SCHEME = {"scheme": "qtsp"}  # the staff pages are the shared ones (staff.views)

urlpatterns = [
    path("partners/", views.directory, name="directory"),
    path("partners/<int:pk>/", views.qtsp_public, name="qtsp_public"),
    path("partners/apply/", views.qtsp_apply, name="apply"),
    path("partners/cities/", views.city_suggestions, name="city_suggestions"),
    path("partners/documents/<int:pk>/", views.document_download, name="document_download"),
    path("partners/enrolments/<int:pk>/accept/", views.enrolment_accept, name="enrolment_accept"),
    # The QTSP portal: every view below is for QTSP staff and shows only their own QTSP's data.
    path("partners/portal/", views.portal, name="portal"),
    path("partners/portal/<int:qtsp_id>/", views.portal_home, name="portal_home"),
    path("partners/portal/<int:pk>/staff/", portal_view(staff_views.staff_list), SCHEME, name="staff"),
    path("partners/portal/staff/<int:pk>/remove/", portal_view(staff_views.member_remove), SCHEME,
         name="staff_remove"),
    path("partners/portal/invitations/<int:pk>/revoke/", portal_view(staff_views.invitation_revoke), SCHEME,
         name="invitation_revoke"),
    path("partners/portal/<int:qtsp_id>/programmes/new/", views.programme_create, name="programme_create"),
    path("partners/portal/programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("partners/portal/programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("partners/portal/programmes/<int:pk>/cohorts/new/", views.cohort_create, name="cohort_create"),
    path("partners/portal/cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("partners/portal/cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("partners/portal/cohorts/<int:pk>/trainees/", views.trainee_add, name="trainee_add"),
    path("partners/portal/cohorts/<int:pk>/import/", views.roster_import, name="roster_import"),
    path("partners/portal/cohorts/<int:pk>/roster.csv", views.roster_export, name="roster_export"),
    path("partners/portal/enrolments/<int:pk>/", views.enrolment_record, name="enrolment_record"),
    path("partners/portal/enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    # The training finder, place requests, programme review, approval terms (issue 18).
    path("training/", finder_views.training_finder, name="training"),
    path("training/<int:pk>/", finder_views.training_cohort, name="training_cohort"),
    path("training/requests/", finder_views.my_place_requests, name="my_place_requests"),
    path("training/requests/<int:pk>/withdraw/", finder_views.my_place_request_withdraw,
         name="my_place_request_withdraw"),
    path("partners/<int:pk>/status/", finder_views.qtsp_status, name="qtsp_status"),
    path("partners/portal/<int:qtsp_id>/requests/", finder_views.place_requests, name="place_requests"),
    path("partners/portal/requests/<int:pk>/accept/", finder_views.place_request_answer, {"answer": "accept"},
         name="place_request_accept"),
    path("partners/portal/requests/<int:pk>/decline/", finder_views.place_request_answer, {"answer": "decline"},
         name="place_request_decline"),
    path("partners/portal/programmes/<int:pk>/syllabus/", finder_views.programme_syllabus, name="programme_syllabus"),
    path("partners/portal/programmes/<int:pk>/submit/", finder_views.programme_send, name="programme_submit"),
    path("partners/portal/<int:qtsp_id>/reapproval/", finder_views.reapproval, name="reapproval"),
    path("partners/portal/<int:qtsp_id>/mark.svg", finder_views.qtsp_mark, name="qtsp_mark"),
]
