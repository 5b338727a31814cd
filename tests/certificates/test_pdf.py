import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.pdf import certificate_pdf, verify_url
from certificates.services import certificate_issue, certificate_render
from tests.certificates.conftest import pdf_qr_codes, pdf_text
from tests.certificates.factories import programme_certificate
from tests.factories import ApplicantFactory, QTSPStaffFactory

A4_LANDSCAPE_POINTS = (841.89, 595.28)


@pytest.fixture
def rendered(applicant, reviewer):
    certificate = certificate_issue(user=applicant, level_code="SM", legal_name="Ada Lovelace", actor=reviewer)
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


def test_pdf_states_name_level_number_and_dates_on_one_a4_landscape_page(rendered):
    content = rendered.pdf.read()
    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(content)

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_POINTS, abs=1)
    for expected in ("Ada Lovelace", "Senior Mentor (SM)", rendered.number,
                     rendered.issued_on.strftime("%-d %B %Y"), rendered.expires_on.strftime("%-d %B %Y")):
        assert expected in text


def test_pdf_qr_code_decodes_to_the_verification_url(rendered, settings):
    codes = pdf_qr_codes(rendered.pdf.read())

    assert codes == [f"{settings.SITE_URL}/verify/{rendered.number}/"]
    assert codes[0] == verify_url(rendered.number)


def test_pdf_prints_a_chinese_name(reviewer):
    holder = ApplicantFactory(full_name="李娜")
    certificate = certificate_issue(user=holder, level_code="MM", legal_name="李娜 (Li Na)", actor=reviewer)

    text = pdf_text(certificate_pdf(certificate))

    assert "李娜 (Li Na)" in text
    assert "Master Mentor (MM)" in text


def _embedded_fonts(content: bytes) -> set[str]:
    fonts = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]["/Font"].values()
    return {font.get_object()["/BaseFont"].split("+", 1)[-1].replace("-", "") for font in fonts}


def test_pdf_falls_back_to_the_packaged_noto_cjk_for_a_chinese_name_only(reviewer):
    chinese = certificate_pdf(certificate_issue(user=ApplicantFactory(), level_code="AM", legal_name="王小明",
                                                actor=reviewer))
    latin = certificate_pdf(certificate_issue(user=ApplicantFactory(), level_code="PM", legal_name="Zoë Ødegaard",
                                              actor=reviewer))

    assert any(name.startswith("NotoSansCJKSC") for name in _embedded_fonts(chinese))  # noto-cjk-sans-otc
    assert not any("CJK" in name for name in _embedded_fonts(latin))
    assert "Zoë Ødegaard" in pdf_text(latin)
    # Noto CJK subsets keep glyph ids, so a certificate that needs no CJK glyph must not carry the font.
    assert len(latin) < 40_000 and len(chinese) < 120_000


def test_programme_certificate_pdf(db):
    certificate = programme_certificate(programme_name="Acme Graduate Mentoring", legal_name="Acme Learning")

    text = pdf_text(certificate_pdf(certificate))

    assert "MENTORING PROGRAMME" in text.upper() and "Acme Graduate Mentoring" in text and "Acme Learning" in text
    assert pdf_qr_codes(certificate_pdf(certificate)) == [verify_url(certificate.number)]


def test_render_again_replaces_the_stored_file(rendered, private_media, django_capture_on_commit_callbacks):
    first = rendered.pdf.name

    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_render(certificate_id=rendered.pk) is True

    rendered.refresh_from_db()
    assert rendered.pdf.name != first
    assert not (private_media / first).exists()
    assert (private_media / rendered.pdf.name).exists()


def test_render_of_a_missing_certificate_is_a_no_op(db):
    assert certificate_render(certificate_id=987654) is False


def test_pdf_is_private_storage_under_a_non_guessable_name(rendered):
    assert rendered.pdf.name.startswith("certificates/")
    assert rendered.number not in rendered.pdf.name
    with pytest.raises(ValueError):
        rendered.pdf.url  # noqa: B018 - private files have no URL


# Download: the permission matrix ---------------------------------------------------------------


def _download(client, certificate):
    return client.get(reverse("certificates:download", args=[certificate.number]))


def test_holder_downloads_the_pdf(client, rendered):
    client.force_login(rendered.holder)

    response = _download(client, rendered)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{rendered.number}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_user_gets_not_found(client, rendered):
    client.force_login(ApplicantFactory())

    assert _download(client, rendered).status_code == 404


def test_qtsp_staff_get_not_found(client, rendered):
    client.force_login(QTSPStaffFactory())

    assert _download(client, rendered).status_code == 404


def test_anonymous_is_sent_to_login(client, rendered):
    response = _download(client, rendered)

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_committee_reviewer_downloads_any_pdf(client, rendered, reviewer):
    client.force_login(reviewer)

    assert _download(client, rendered).status_code == 200


def test_pdf_not_rendered_yet_says_so(client, applicant, reviewer):
    certificate = certificate_issue(user=applicant, level_code="AM", legal_name="Ada", actor=reviewer)
    client.force_login(applicant)

    response = client.get(reverse("certificates:download", args=[certificate.number]), follow=True)

    assert "being prepared" in response.content.decode()
    assert Certificate.objects.get(pk=certificate.pk).pdf == ""
