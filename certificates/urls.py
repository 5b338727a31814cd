from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    # Stable public URLs: printed certificates and issued badges link here.
    path("verify/", views.verify_form, name="verify"),
    path("verify/<str:number>/", views.verify_detail, name="verify_detail"),
    path("badges/issuer.json", views.badge_issuer, name="badge_issuer"),
    path("badges/classes/<str:code>.json", views.badge_class, name="badge_class"),
    path("badges/classes/<str:code>.svg", views.badge_image, name="badge_image"),
    path("badges/assertions/<str:number>.json", views.badge_assertion, name="badge_assertion"),
    # The holder's pages.
    path("certificates/<str:number>/", views.certificate_detail, name="detail"),
    path("certificates/<str:number>/pdf/", views.certificate_download, name="download"),
    path("certificates/<str:number>/pdus/new/", views.pdu_claim_create, name="pdu_claim_create"),
    path("certificates/<str:number>/renew/", views.renewal_apply, name="renewal_apply"),
    path("renewals/<int:pk>/withdraw/", views.renewal_withdraw, name="renewal_withdraw"),
    path("pdus/<int:pk>/evidence/", views.pdu_evidence_download, name="pdu_evidence"),
    path("pdus/<int:pk>/withdraw/", views.pdu_claim_withdraw, name="pdu_claim_withdraw"),
]
