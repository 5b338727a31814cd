"""The certificate of attendance: WeasyPrint renders ``templates/events/attendance_pdf.html`` (A4 landscape).

Like the accreditation certificates, it carries a QR code (segno) to a public page that confirms it.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from events.models import Registration

# Printed certificates are official documents in English, as the accreditation certificates are.
CERTIFICATE_LANGUAGE = "en"


def attendance_verify_url(registration: Registration) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events:attendance_verify", args=[registration.certificate_code])


def attendance_html(registration: Registration) -> str:
    url = attendance_verify_url(registration)
    with translation.override(CERTIFICATE_LANGUAGE):
        return render_to_string("events/attendance_pdf.html", {
            "registration": registration, "event": registration.event, "person": registration.person,
            "verify_url": url, "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=4, dark="#1b2a4a"),
            "issuer_name": settings.CERTIFICATES_ISSUER_NAME,
        })


def attendance_pdf(registration: Registration) -> bytes:
    from weasyprint import HTML  # imported on first use: slow to load, and most requests never render

    return HTML(string=attendance_html(registration), base_url=str(settings.BASE_DIR)).write_pdf()
