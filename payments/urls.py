from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("fees/", views.fee_list, name="fees"),
    path("membership/", views.membership_detail, name="membership"),
    path("membership/upgrade/", views.membership_upgrade, name="membership_upgrade"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<str:number>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<str:number>/pay/", views.invoice_pay, name="invoice_pay"),
    path("invoices/<str:number>/pdf/", views.invoice_pdf_download, name="invoice_pdf"),
    path("invoices/<str:number>/paid/", views.invoice_paid, name="invoice_paid"),
    path("invoices/<str:number>/cancelled/", views.invoice_cancelled, name="invoice_cancelled"),
    path("invoices/<str:number>/demo-checkout/", views.demo_checkout, name="demo_checkout"),
    path("payments/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
