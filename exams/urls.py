from django.urls import path

from exams import views

app_name = "exams"

urlpatterns = [
    path("curriculum/", views.curriculum, name="curriculum"),
    path("exams/calendar/", views.calendar, name="calendar"),
    path("exams/sessions/<int:pk>/book/", views.session_book, name="session_book"),
    path("exams/sessions/<int:pk>/waiting-list/", views.session_waitlist_join, name="session_waitlist_join"),
    path("exams/bookings/", views.booking_list, name="booking_list"),
    path("exams/bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("exams/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("exams/bookings/<int:pk>/reschedule/", views.booking_reschedule, name="booking_reschedule"),
    path("exams/bookings/<int:pk>/arrangements/", views.booking_arrangements, name="booking_arrangements"),
    path("exams/bookings/<int:pk>/exam.ics", views.booking_calendar_file, name="booking_calendar_file"),
    path("exams/waiting-list/<int:pk>/accept/", views.waitlist_accept, name="waitlist_accept"),
    path("exams/waiting-list/<int:pk>/leave/", views.waitlist_leave, name="waitlist_leave"),
    path("exams/results/<int:pk>/", views.result_detail, name="result_detail"),
]
