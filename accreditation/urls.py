from django.urls import path

from accreditation import views

app_name = "accreditation"

urlpatterns = [
    path("levels/", views.level_list, name="level_list"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/<slug:step>/", views.application_step, name="application_step"),
    path("applications/<int:pk>/respond/", views.application_respond_view, name="application_respond"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw_view, name="application_withdraw"),
    path("applications/<int:pk>/appeal/", views.application_appeal, name="application_appeal"),
    path("applications/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("applications/<int:pk>/documents/<int:document_pk>/delete/", views.application_document_delete,
         name="document_delete"),
]
