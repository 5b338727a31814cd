from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/feed.ics", views.event_feed, name="feed"),
    path("events/registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("events/registrations/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("events/registrations/<int:pk>/certificate.pdf", views.attendance_certificate, name="attendance_certificate"),
    path("events/attendance/<uuid:code>/", views.attendance_verify, name="attendance_verify"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/programme/", views.event_programme, name="programme"),
    path("events/<slug:slug>/register/", views.event_register, name="register"),
    path("events/<slug:slug>/join/", views.event_join, name="join"),
    path("events/<slug:slug>/slides/", views.event_slides, name="slides"),
]
