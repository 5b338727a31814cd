"""The certificate PDF: WeasyPrint renders ``templates/certificates/certificate_pdf.html`` (A4 landscape).

The QR code (segno, inline SVG) links to the public verification page; the seal is drawn here as SVG.
Latin text is set in DejaVu where the system has it, and everything else falls back to Noto Sans CJK
(Chinese, Japanese, Korean), which comes with the install (``documents.pdf``), so any name prints.
"""

import math

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from certificates.models import Certificate
from documents.pdf import html_to_pdf

# Printed certificates are official documents in English, whatever the holder's portal language.
CERTIFICATE_LANGUAGE = "en"
NAVY = "#1b2a4a"
GOLD = "#b08d3c"


def verify_url(number: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("certificates:verify_detail", args=[number])


def qr_data_uri(url: str) -> str:
    # Error correction M survives a crease or a stamp on the print; the quiet zone is the standard 4 modules.
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4, dark=NAVY)


def seal_svg(label: str) -> str:
    """A rosette seal: a scalloped gold edge, two rings, the level's code in the middle."""
    points = []
    teeth, outer, inner = 36, 58, 53
    for index in range(teeth * 2):
        radius = outer if index % 2 == 0 else inner
        angle = math.pi * index / teeth
        points.append(f"{60 + radius * math.cos(angle):.2f},{60 + radius * math.sin(angle):.2f}")
    # Safe: built from numbers and the level code only.
    return mark_safe(
        f'<svg class="seal" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="34mm" height="34mm">'
        f'<polygon points="{" ".join(points)}" fill="{GOLD}"/>'
        f'<circle cx="60" cy="60" r="47" fill="none" stroke="#fff" stroke-width="1.6"/>'
        f'<circle cx="60" cy="60" r="42" fill="{NAVY}"/>'
        f'<circle cx="60" cy="60" r="38" fill="none" stroke="{GOLD}" stroke-width="0.8"/>'
        f'<text x="60" y="52" text-anchor="middle" font-family="DejaVu Sans" font-size="10" '
        f'letter-spacing="2" fill="#fff">IPMA</text>'
        f'<text x="60" y="75" text-anchor="middle" font-family="DejaVu Serif" font-size="20" '
        f'font-weight="bold" fill="{GOLD}">{label}</text>'
        f'</svg>'
    )


def certificate_html(certificate: Certificate) -> str:
    url = verify_url(certificate.number)
    with translation.override(CERTIFICATE_LANGUAGE):
        return render_to_string("certificates/certificate_pdf.html", {
            "certificate": certificate,
            "verify_url": url,
            "qr": qr_data_uri(url),
            "seal": seal_svg("PRG" if certificate.is_programme else certificate.level.code),
            "issuer_name": settings.CERTIFICATES_ISSUER_NAME,
        })


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a one-page PDF."""
    return html_to_pdf(certificate_html(certificate), base_url=str(settings.BASE_DIR))


def certificate_pdf_name(certificate: Certificate) -> str:
    return f"certificate-{certificate.number}.pdf"
