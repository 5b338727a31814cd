"""Demo data for the public content: a content editor, expert profiles and a leadership with past terms, and the
pages and FAQ the migrations seed (in English and Chinese), in case a test has flushed them since."""

import datetime
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from applicants.demo import demo_translation_fill, demo_user
from content.models import Expert, LeadershipRole, LeadershipTerm
from content.roles import CONTENT_EDITOR

# slug, name, affiliation, biography, each text in English and Chinese
EXPERTS = [
    ("mei-lin", "Dr. Mei Lin", ("Shanghai International Studies University", "上海外国语大学"),
     ("Researches cross-cultural mentoring in higher education.", "研究高等教育中的跨文化导师辅导。")),
    ("james-okafor", "James Okafor", ("Lagos Business School", "拉各斯商学院"),
     ("Executive mentor and former HR director.", "高管导师，曾任人力资源总监。")),
    ("sofia-marquez", "Sofía Márquez", ("Universidad de Chile", "智利大学"),
     ("Studies mentoring programmes for new teachers.", "研究面向新教师的导师项目。")),
]

BOARD = ["Aiko Tanaka", "Ben Carter", "Chidi Eze", "Dana Novak", "Elif Demir", "Farah Haddad", "Gustavo Lima",
         "Hana Kim", "Ivan Petrov", "Julia Schmidt"]

# The pages and the FAQ come with these migrations (0004 gives them their Chinese); each loader only adds what is
# missing, so running them again changes nothing.
PAGE_LOADERS = [("content.migrations.0003_seed_pages_and_faq", "seed"),
                ("content.migrations.0004_pages_and_faq_in_chinese", "translate")]


def seed(stdout) -> None:
    demo_user("editor@ipma.example", "Edith Editor", CONTENT_EDITOR, is_staff=True)
    for module, loader in PAGE_LOADERS:
        getattr(import_module(module), loader)(apps, None)
    for slug, name, (affiliation, affiliation_zh), (bio, bio_zh) in EXPERTS:
        expert, _created = Expert.objects.get_or_create(slug=slug, defaults={
            "name": name, "affiliation_en": affiliation, "bio_en": bio})
        demo_translation_fill(expert, affiliation=affiliation_zh, bio=bio_zh)
    if not LeadershipTerm.objects.exists():
        today = timezone.localdate()
        start = today.replace(month=1, day=1)
        current_end = start + datetime.timedelta(days=2 * 365)
        past_start = start - datetime.timedelta(days=2 * 365)
        officers = [(LeadershipRole.PRESIDENT, "Mei Lin"), (LeadershipRole.PRESIDENT_ELECT, "James Okafor"),
                    (LeadershipRole.SECRETARY_TREASURER, "Sofía Márquez")]
        for role, name in officers:
            LeadershipTerm.objects.create(name=name, role=role, starts_on=start, ends_on=current_end)
        for name in BOARD:
            LeadershipTerm.objects.create(name=name, starts_on=start, ends_on=current_end)
        LeadershipTerm.objects.create(name="Robert Hughes", role=LeadershipRole.PRESIDENT, starts_on=past_start,
                                      ends_on=start - datetime.timedelta(days=1))
    stdout.write("  editor@ipma.example edits pages, the FAQ, leadership and publications in the admin "
                 "(/pages/about/, /faq/, /leadership/, /code-of-ethics/, /contact/).")
