from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    # The path predates this app (it began with the QTSPs); invitations already mailed link to it.
    path("partners/invitations/<slug:scheme>/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
