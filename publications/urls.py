from django.urls import path

from publications import views
from publications.feeds import PublicationFeed

app_name = "publications"

urlpatterns = [
    path("publications/", views.publication_list, name="list"),
    path("publications/<slug:slug>/", views.publication_detail, name="publication"),
    path("publications/<slug:slug>/feed/", PublicationFeed(), name="feed"),
    path("publications/<slug:slug>/<int:number>/", views.issue_detail, name="issue"),
    path("publications/<slug:slug>/<int:number>/pdf/", views.issue_pdf, name="issue_pdf"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("research/", views.research_list, name="research"),
    path("search/", views.search, name="search"),
    path("newsletter/", views.newsletter_subscribe, name="newsletter"),
    path("newsletter/check-your-mail/", views.newsletter_pending, name="newsletter_pending"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path("newsletter/manage/<str:token>/", views.newsletter_manage, name="newsletter_manage"),
    path("newsletter/manage/<str:token>/export.json", views.newsletter_export, name="newsletter_export"),
    path("newsletter/unsubscribe/<str:token>/", views.newsletter_unsubscribe, name="newsletter_unsubscribe"),
]
