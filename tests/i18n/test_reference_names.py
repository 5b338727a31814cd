"""Names the portal shows from its reference lists read correctly in Chinese: sectors, countries, membership plans."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_countries.fields import Country

from organizations.models import Sector
from payments.selectors import membership_plans


def test_education_sector_reads_as_education_not_academic_degree():
    with translation.override("zh-hans"):
        labels = {sector.value: str(sector.label) for sector in Sector}

    assert labels == {"business": "企业", "education": "教育", "government": "政府", "community": "社区",
                      "nonprofit": "非营利组织"}


@pytest.mark.parametrize(("code", "chinese"), [
    ("NP", "尼泊尔"), ("TJ", "塔吉克斯坦"), ("WS", "萨摩亚"), ("AS", "美属萨摩亚"), ("MK", "北马其顿"),
    ("NR", "瑙鲁"), ("BA", "波斯尼亚和黑塞哥维那"), ("DM", "多米尼克"), ("DO", "多米尼加共和国"),
    ("KG", "吉尔吉斯斯坦"), ("SJ", "斯瓦尔巴和扬马延"),
])
def test_country_names_in_chinese(code, chinese):
    with translation.override("zh-hans"):
        assert Country(code).name == chinese


def test_nauru_is_nauru_in_english():
    with translation.override("en"):
        assert Country("NR").name == "Nauru"
        assert Country("WS").name == "Samoa" and Country("AS").name == "American Samoa"


def test_default_membership_plans_are_named_in_the_language_in_use():
    with translation.override("zh-hans"):
        names = [plan.name for plan in membership_plans()]

    assert names == ["年度会员资格", "五年期会员资格"]


def test_a_plan_name_an_operator_configured_is_shown_as_written(settings):
    settings.PAYMENTS_MEMBERSHIP_PLANS = {"biennial": {"name": "Two-year membership", "fee": "110.00", "months": 24}}

    with translation.override("zh-hans"):
        assert [plan.name for plan in membership_plans()] == ["Two-year membership"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["payments:fees", "payments:membership"])
def test_fees_and_membership_pages_in_chinese_name_the_plans_in_chinese(client, page):
    html = client.get(reverse(page), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "年度会员资格" in html and "五年期会员资格" in html
    assert "Annual membership" not in html and "Five-year membership" not in html


def test_the_languages_a_mentor_chooses_from_are_named_in_the_language_in_use():
    from applicants.forms import ProfileForm

    with translation.override("zh-hans"):
        chinese = dict(ProfileForm.base_fields["languages"].choices)
    with translation.override("en"):
        english = dict(ProfileForm.base_fields["languages"].choices)

    assert (chinese["en"], chinese["es"], chinese["zh-hans"]) == ("英语", "西班牙语", "简体中文")
    assert (english["en"], english["es"]) == ("English", "Spanish")


@pytest.mark.django_db
def test_a_programmes_language_of_instruction_is_shown_in_the_language_in_use():
    from partners.models import TrainingProgramme

    programme = TrainingProgramme(language="es")

    with translation.override("zh-hans"):
        assert programme.get_language_display() == "西班牙语"


@pytest.mark.django_db
def test_the_directorys_language_filter_names_the_languages_in_the_language_in_use(client):
    english = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert '<option value="es">Spanish</option>' in english
    assert '<option value="es">西班牙语</option>' in chinese


@pytest.mark.django_db
def test_the_chinese_admin_index_names_its_table_columns_in_chinese(client):
    from tests.factories import ReviewerFactory

    client.force_login(ReviewerFactory())

    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "模型名称" in html and "添加链接" in html
    assert "Model name" not in html and "Change or view list link" not in html
