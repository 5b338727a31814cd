"""The logo kit exists only while the programme is accredited; the public badge goes with it."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from organizations import logokit, selectors, services
from organizations.models import ApplicationStatus, ProgrammeApplication
from tests.documents.samples import upload
from tests.organizations import factories
from tests.organizations.conftest import certificate_render

pytestmark = pytest.mark.django_db

KIT_URLS = ["organizations:logo_kit", "organizations:logo_svg", "organizations:logo_png", "organizations:logo_zip"]


def _kit_statuses(client, application) -> dict[str, int]:
    return {name: client.get(reverse(name, args=[application.pk])).status_code for name in KIT_URLS}


def _badge_status(client, application) -> int:
    if not application.certificate_number:
        return 404
    return client.get(reverse("organizations:badge", args=[application.certificate_number])).status_code


AVAILABLE = dict.fromkeys(KIT_URLS, 200)
GONE = dict.fromkeys(KIT_URLS, 404)


@pytest.fixture
def accredited(org, owner, reviewers):
    return factories.accredited(org, owner, reviewers, name="Teach First Mentoring")


def test_the_kit_carries_the_programme_name_year_and_certificate_number(client, accredited, contact):
    client.force_login(contact)
    number = accredited.certificate_number

    page = client.get(reverse("organizations:logo_kit", args=[accredited.pk]))
    svg = client.get(reverse("organizations:logo_svg", args=[accredited.pk])).content.decode()
    png = client.get(reverse("organizations:logo_png", args=[accredited.pk]))
    kit = client.get(reverse("organizations:logo_zip", args=[accredited.pk]))

    assert page.status_code == 200
    assert "Teach First Mentoring" in svg and number in svg and str(accredited.valid_from.year) in svg
    assert svg.startswith("<?xml") and "<script" not in svg
    image = Image.open(io.BytesIO(png.content))
    assert png["Content-Type"] == "image/png" and image.size == (1200, 1200) and image.mode == "RGBA"
    assert png["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(kit.content))
    stem = f"ipma-accredited-{number}".lower()
    assert sorted(archive.namelist()) == sorted(
        [f"{stem}.svg", f"{stem}.png", "USAGE-RULES.txt", "badge-snippet.html"])
    rules = archive.read("USAGE-RULES.txt").decode()
    assert "Teach First Mentoring" in rules and f"/verify/{number}/" in rules
    snippet = archive.read("badge-snippet.html").decode().strip()
    assert f'href="http://127.0.0.1:8000/verify/{number}/"' in snippet
    assert reverse("organizations:badge", args=[number]) in snippet
    assert snippet in page.content.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def test_the_png_draws_what_the_mark_says(accredited):
    mark = logokit.mark_for(accredited)
    other = logokit.mark_for(accredited)
    other = type(mark)(**{**mark.__dict__, "certificate_number": "IPMA-P-2026-999999"})

    assert logokit.mark_png(mark) != logokit.mark_png(other)


def test_a_long_or_chinese_programme_name_fits_in_three_lines():
    lines = logokit._name_lines("A very long programme name for mentoring new teachers in rural schools everywhere")
    chinese = logokit._name_lines("青年教师导师计划")

    assert len(lines) == 3 and lines[-1].endswith("…")
    assert chinese == ["青年教师导师计划"]


def test_the_public_badge_is_an_svg_others_may_embed(client, accredited):
    response = client.get(reverse("organizations:badge", args=[accredited.certificate_number]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("status", [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                                    ApplicationStatus.UNDER_REVIEW, ApplicationStatus.REJECTED,
                                    ApplicationStatus.WITHDRAWN])
def test_no_kit_before_accreditation_or_without_it(client, org, owner, reviewers, status):
    application = factories.draft(org, owner)
    if status != ApplicationStatus.DRAFT:
        services.application_submit(application=application, actor=owner)
    if status in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.REJECTED):
        services.application_review_start(application_id=application.pk)
    if status == ApplicationStatus.REJECTED:
        factories.reviewed(application, reviewers)
        services.application_decide(application=application, actor=reviewers[0], decision="rejected", reasons="No.")
    if status == ApplicationStatus.WITHDRAWN:
        services.application_withdraw(application=application, actor=owner)
    application.refresh_from_db()
    client.force_login(owner)

    assert application.status == status
    assert _kit_statuses(client, application) == GONE


def test_the_kit_is_there_while_accredited_with_conditions(client, org, owner, reviewers):
    application = factories.accredited(org, owner, reviewers, conditions=[("Report on matching.", factories.soon())])
    client.force_login(owner)

    assert application.status == ApplicationStatus.CONDITIONAL
    assert _kit_statuses(client, application) == AVAILABLE
    assert _badge_status(client, application) == 200


def test_revoking_removes_the_kit_and_the_badge_and_verification_says_revoked(client, accredited, owner, reviewer):
    client.force_login(owner)
    assert _kit_statuses(client, accredited) == AVAILABLE

    services.accreditation_revoke(application=accredited, actor=reviewer, reason="Misuse of the mark.")

    accredited.refresh_from_db()
    assert accredited.status == ApplicationStatus.REVOKED
    assert _kit_statuses(client, accredited) == GONE
    assert "revoked" in client.get(reverse("organizations:logo_kit", args=[accredited.pk])).content.decode()
    assert _badge_status(client, accredited) == 404
    verification = client.get(f"/verify/{accredited.certificate_number}/").content.decode()
    assert "Revoked" in verification


def test_a_certificate_revoked_in_the_register_removes_the_kit_at_once(client, accredited, owner, reviewer):
    from certificates.selectors import certificates_active
    from certificates.services import certificate_revoke
    from organizations.conflicts import application_people

    certificate = certificates_active().get(number=accredited.certificate_number)
    # The register's certificate alone (the accreditation's status not yet changed): the kit follows the register.
    certificate_revoke(certificate=certificate, actor=reviewer, reason="Revoked by the committee directly.",
                       people=application_people(accredited))
    client.force_login(owner)

    assert ProgrammeApplication.objects.get(pk=accredited.pk).status == ApplicationStatus.ACCREDITED
    assert _kit_statuses(client, accredited) == GONE
    assert _badge_status(client, accredited) == 404


def test_expiry_removes_the_kit_on_the_day_even_before_the_beat_job_runs(client, accredited, owner):
    last_day = accredited.valid_until

    with time_machine.travel(datetime.datetime.combine(last_day, datetime.time(12), tzinfo=datetime.UTC)):
        assert selectors.logo_kit_available(accredited)
    with time_machine.travel(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(12),
                                                       tzinfo=datetime.UTC)):
        client.force_login(owner)
        assert _kit_statuses(client, accredited) == GONE
        assert _badge_status(client, accredited) == 404
        services.organizations_housekeeping()
        accredited.refresh_from_db()
        assert accredited.status == ApplicationStatus.EXPIRED
        assert "expired" in client.get(reverse("organizations:logo_kit", args=[accredited.pk])).content.decode()


def test_after_renewal_the_old_kit_goes_and_the_new_one_comes(client, accredited, owner, reviewers):
    renewal_opens = accredited.valid_until - datetime.timedelta(days=100)
    with time_machine.travel(datetime.datetime.combine(renewal_opens, datetime.time(12), tzinfo=datetime.UTC)):
        renewal = services.renewal_start(application=accredited, actor=owner)
        services.document_add(application=renewal, actor=owner, kind="evaluation", file=upload("pdf"))
        services.application_submit(application=renewal, actor=owner)
        services.application_review_start(application_id=renewal.pk)
        factories.reviewed(renewal, reviewers)
        services.application_decide(application=renewal, actor=reviewers[0], decision="accredited",
                                    reasons="Still excellent.")
        client.force_login(owner)
        accredited.refresh_from_db()
        renewal.refresh_from_db()

        assert accredited.status == ApplicationStatus.SUPERSEDED
        assert renewal.status == ApplicationStatus.ACCREDITED
        assert renewal.valid_from == timezone.localdate()
        assert renewal.certificate_number != accredited.certificate_number
        assert _kit_statuses(client, accredited) == GONE
        assert _kit_statuses(client, renewal) == AVAILABLE
        assert "Superseded" in client.get(f"/verify/{accredited.certificate_number}/").content.decode()


def test_staff_download_the_programme_certificate_once_it_is_rendered(client, accredited, contact):
    from tests.certificates.conftest import pdf_text

    client.force_login(contact)
    page = client.get(reverse("organizations:application_detail", args=[accredited.pk])).content.decode()
    assert client.get(reverse("organizations:certificate", args=[accredited.pk])).status_code == 404
    assert reverse("organizations:certificate", args=[accredited.pk]) not in page

    certificate_render(accredited.certificate_number)
    page = client.get(reverse("organizations:application_detail", args=[accredited.pk])).content.decode()
    response = client.get(reverse("organizations:certificate", args=[accredited.pk]))

    assert reverse("organizations:certificate", args=[accredited.pk]) in page
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "Teach First Mentoring" in pdf_text(b"".join(response.streaming_content))
