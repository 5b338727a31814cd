import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applicants.models import EthicsAdoption, EthicsCode
from applicants.selectors import ethics_adoption_current, ethics_current
from applicants.services import ethics_adopt, ethics_code_publish
from ipma_portal.page_memo import page_memo
from tests.applicants.factories import EthicsCodeFactory

pytestmark = pytest.mark.django_db


def test_without_a_published_code_nothing_can_be_adopted(client, applicant):
    client.force_login(applicant)

    assert "has not published the code yet" in client.get(reverse("applicants:ethics")).content.decode()
    with pytest.raises(ValidationError, match="No code of ethics"):
        ethics_adopt(user=applicant)


def test_applicant_adopts_the_current_version(client, applicant):
    code = EthicsCodeFactory(version=1)
    client.force_login(applicant)

    response = client.post(reverse("applicants:ethics"), {"version": 1, "agree": "on"}, follow=True)

    adoption = EthicsAdoption.objects.get(user=applicant)
    assert adoption.code == code
    assert timezone.now() - adoption.adopted_at < datetime.timedelta(minutes=1)
    assert "You adopted this version" in response.content.decode()


def test_adoption_needs_the_agreement_ticked(client, applicant):
    EthicsCodeFactory(version=1)
    client.force_login(applicant)

    client.post(reverse("applicants:ethics"), {"version": 1})

    assert not EthicsAdoption.objects.exists()


def test_a_new_version_must_be_adopted_again(applicant, reviewer):
    ethics_adopt(user=EthicsCodeFactory(version=1) and applicant)

    new = ethics_code_publish(text="Revised text", actor=reviewer)

    assert new.version == 2
    assert ethics_adoption_current(applicant) == (new, None)
    ethics_adopt(user=applicant)
    assert ethics_adoption_current(applicant)[1].code == new
    assert EthicsAdoption.objects.filter(user=applicant).count() == 2


def test_adopting_a_superseded_version_is_refused(client, applicant):
    EthicsCodeFactory(version=1)
    EthicsCodeFactory(version=2)
    client.force_login(applicant)

    response = client.post(reverse("applicants:ethics"), {"version": 1, "agree": "on"}, follow=True)

    assert "A newer version of the code (version 2)" in response.content.decode()
    assert not EthicsAdoption.objects.exists()


def test_adopting_twice_keeps_the_first_time(applicant):
    EthicsCodeFactory(version=1)
    first = ethics_adopt(user=applicant)

    assert ethics_adopt(user=applicant).adopted_at == first.adopted_at


def test_a_version_scheduled_for_later_is_not_current_yet():
    EthicsCodeFactory(version=1)
    EthicsCodeFactory(version=2, published_at=timezone.now() + datetime.timedelta(days=3))

    assert ethics_current().version == 1


def test_reviewer_publishes_a_new_version_in_the_admin_but_cannot_edit_one(client, reviewer):
    EthicsCodeFactory(version=1)
    client.force_login(reviewer)

    response = client.post(reverse("admin:applicants_ethicscode_add"), {
        "title_en": "Code of Ethics and Conduct", "text_en": "New text", "published_at_0": "2026-01-01",
        "published_at_1": "00:00:00",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = EthicsCode.objects.get(version=2)
    assert (latest.text_en, latest.created_by) == ("New text", reviewer)
    change = client.get(reverse("admin:applicants_ethicscode_change", args=[latest.pk])).content.decode()
    assert 'name="text"' not in change
    assert client.post(reverse("admin:applicants_ethicscode_delete", args=[latest.pk])).status_code == 403


def test_a_version_is_published_in_both_languages_from_an_admin_in_chinese(client, reviewer):
    EthicsCodeFactory(version=1)
    client.force_login(reviewer)

    form = client.get(reverse("admin:applicants_ethicscode_add"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    response = client.post(reverse("admin:applicants_ethicscode_add"), {
        "title_en": "Code of Ethics and Conduct", "text_en": "Be honest.",
        "title_zh_hans": "道德与行为准则", "text_zh_hans": "诚实守信。",
        "published_at_0": "2026-01-01", "published_at_1": "00:00:00",
    }, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert 'lang="zh-hans"' in form and 'name="text_en"' in form and 'name="text_zh_hans"' in form
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = EthicsCode.objects.get(version=2)
    assert (latest.title_en, latest.text_en) == ("Code of Ethics and Conduct", "Be honest.")
    assert (latest.title_zh_hans, latest.text_zh_hans) == ("道德与行为准则", "诚实守信。")


def test_applicant_cannot_open_the_ethics_admin(client, applicant):
    client.force_login(applicant)

    assert client.get(reverse("admin:applicants_ethicscode_changelist")).status_code == 302


def test_adoption_read_in_a_page_memo_is_not_kept_after_it(applicant):
    code = EthicsCodeFactory(version=7, published_at=timezone.now() - datetime.timedelta(days=1))
    with page_memo():
        assert ethics_adoption_current(applicant) == (code, None)
        ethics_adopt(user=applicant)
        assert ethics_adoption_current(applicant) == (code, None)  # one read per read-only page

    assert ethics_adoption_current(applicant)[1].code == code


def test_current_code_is_read_once_per_process_until_a_version_is_published(django_assert_num_queries):
    first = ethics_code_publish(text="First.", actor=None)
    assert ethics_current() == first  # kept from here on

    with django_assert_num_queries(0):
        assert ethics_current() == first

    second = ethics_code_publish(text="Second.", actor=None)

    assert ethics_current() == second == ethics_current(fresh=True)


def test_a_version_scheduled_for_later_becomes_current_when_its_time_comes(django_assert_num_queries):
    now = timezone.now()
    current = EthicsCodeFactory(version=1, published_at=now - datetime.timedelta(days=1))
    later = EthicsCodeFactory(version=2, published_at=now + datetime.timedelta(hours=1))
    assert ethics_current() == current

    with time_machine.travel(now + datetime.timedelta(hours=2)), django_assert_num_queries(0):
        assert ethics_current() == later
