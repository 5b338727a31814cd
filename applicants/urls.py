from django.urls import path

from applicants import views

app_name = "applicants"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/preferences/", views.preferences, name="preferences"),
]
