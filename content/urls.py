from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("pages/<slug:slug>/", views.page_detail, name="page"),
    path("faq/", views.faq, name="faq"),
    path("leadership/", views.leadership, name="leadership"),
    path("code-of-ethics/", views.ethics_public, name="ethics"),
    path("code-of-ethics/v<int:version>/", views.ethics_public_version, name="ethics_version"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
]
