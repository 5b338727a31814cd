from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("numbers/", views.numbers, name="numbers"),
    # Under /admin/ so that the committee's two-factor rule and the admin's login apply.
    path("admin/insights/", views.committee, name="committee"),
    path("admin/insights/<slug:key>.csv", views.committee_csv, name="committee_csv"),
]
