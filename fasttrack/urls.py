from django.urls import path

from fasttrack import views

app_name = "fasttrack"

urlpatterns = [
    path("fast-track/", views.fast_track, name="overview"),
    path("fast-track/apply/", views.application_start, name="apply"),
    path("fast-track/application/", views.application, name="application"),
    path("fast-track/application/submit/", views.application_review, name="application_review"),
    path("fast-track/application/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("fast-track/application/proofs/<int:pk>/delete/", views.proof_delete, name="proof_delete"),
    path("fast-track/documents/cv/<int:pk>/", views.cv_download, name="cv_download"),
    path("fast-track/documents/proofs/<int:pk>/", views.proof_download, name="proof_download"),
    # In the QTSP portal: the referrals of the signed-in person's QTSPs only.
    path("partners/portal/referrals/", views.referrals, name="referrals"),
    path("partners/portal/referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("partners/portal/referrals/<int:pk>/accept/", views.referral_answer, {"answer": "accept"},
         name="referral_accept"),
    path("partners/portal/referrals/<int:pk>/decline/", views.referral_answer, {"answer": "decline"},
         name="referral_decline"),
    path("partners/portal/referrals/<int:pk>/enrol/", views.referral_enrol, name="referral_enrol"),
]
