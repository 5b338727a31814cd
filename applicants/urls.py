from django.urls import path

from applicants import views

app_name = "applicants"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/preferences/", views.preferences, name="preferences"),
    path("account/data/", views.personal_data, name="personal_data"),
    path("account/data/download/", views.personal_data_download, name="personal_data_download"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("profile/", views.profile, name="profile"),
    path("profile/education-proof/", views.profile_education_proof, name="profile_education_proof"),
    path("hours/", views.hours_list, name="hours_list"),
    path("hours/new/", views.hours_create, name="hours_create"),
    path("hours/<int:pk>/edit/", views.hours_update, name="hours_update"),
    path("hours/<int:pk>/delete/", views.hours_delete, name="hours_delete"),
    path("hours/export.csv", views.hours_export, name="hours_export"),
    path("hours/import/", views.hours_import, name="hours_import"),
    path("hours/confirm/<int:pk>/<str:token>/", views.hours_confirm, name="hours_confirm"),
    path("ethics/", views.ethics, name="ethics"),
]
