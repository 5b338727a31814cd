"""The audit trail's admin pages pass axe-core and fit 1280 px: the list in full, and the trail's sections
on a person's and an object's page (the rest of those pages is the stock admin form, checked elsewhere)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from audit.models import AuditAction
from audit.services import audit_record
from payments.services import invoice_raise
from tests.browser.conftest import assert_accessible
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db(transaction=True)

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SUBJECT_TRAIL = "#audit-auditentry-content_type-object_id-group"
ACTOR_TRAIL = "#audit_entries-group"


@pytest.fixture
def signed_in(superuser_signed_in):
    return superuser_signed_in


def _trail_violations(page, *selectors) -> list:
    results = Axe().run(page, context={"include": [[selector] for selector in selectors]},
                        options={"runOnly": {"type": "tag", "values": WCAG}})
    return [f'{v["id"]}: {node["target"]}' for v in results.response["violations"] for node in v["nodes"]]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_audit_list_is_accessible(page, live_server, signed_in):
    audit_record(action=AuditAction.SIGN_IN, actor=signed_in)

    response = page.goto(live_server.url + reverse("admin:audit_auditentry_changelist"))

    assert response.status == 200 and signed_in.full_name in page.content()
    assert_accessible(page)


def test_the_trail_on_a_persons_page_is_accessible(page, live_server, signed_in):
    person = ApplicantFactory(full_name="Trail Subject")
    audit_record(action=AuditAction.ADMIN_CHANGE, actor=signed_in, obj=person, changes={"fields": ["full_name"]})
    audit_record(action=AuditAction.SIGN_IN, actor=person)

    page.goto(live_server.url + reverse("admin:applicants_user_change", args=[person.pk]))

    assert page.locator(SUBJECT_TRAIL).count() == 1 and page.locator(ACTOR_TRAIL).count() == 1
    assert _trail_violations(page, SUBJECT_TRAIL, ACTOR_TRAIL) == []
    assert _fits(page)


def test_the_trail_on_an_objects_page_is_accessible(page, live_server, signed_in):
    invoice = invoice_raise(payer=ApplicantFactory(), kind="exam", reference="audit:browser", level_code="AM")
    audit_record(action=AuditAction.DECISION, actor=signed_in, obj=invoice, changes={"decision": "void", "bulk": False})

    page.goto(live_server.url + reverse("admin:payments_invoice_change", args=[invoice.pk]))

    assert "Decision taken in the admin" in page.locator(SUBJECT_TRAIL).inner_text()
    assert _trail_violations(page, SUBJECT_TRAIL) == []
    assert _fits(page)
