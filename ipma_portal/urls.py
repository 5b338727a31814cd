from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from applicants.reauthentication import request_reauthentication_code
from ipma_portal import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "IPMA Portal — Committee"
admin.site.site_title = "IPMA Committee"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Before allauth's own: the same page with its field labelled in the viewer's language.
    path("accounts/reauthenticate/code/", request_reauthentication_code,
         name="account_request_reauthentication_code"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("insights.urls")),  # before the admin: the committee insights live under /admin/insights/
    path("admin/", admin.site.urls),
    path("", include("applicants.urls")),
    path("", include("accreditation.urls")),
    path("", include("exams.urls")),
    path("", include("fasttrack.urls")),
    path("", include("partners.urls")),
    path("", include("organizations.urls")),
    path("", include("staff.urls")),
    path("", include("payments.urls")),
    path("", include("certificates.urls")),
    path("", include("events.urls")),
    path("", include("content.urls")),
    path("", include("publications.urls")),
]
