"""Demo data for the public content: a content editor, expert profiles and a leadership with past terms."""

import datetime

from django.utils import timezone

from applicants.demo import demo_user
from content.models import Expert, LeadershipRole, LeadershipTerm
from content.roles import CONTENT_EDITOR

EXPERTS = [
    ("mei-lin", "Dr. Mei Lin", "Shanghai International Studies University",
     "Researches cross-cultural mentoring in higher education."),
    ("james-okafor", "James Okafor", "Lagos Business School", "Executive mentor and former HR director."),
    ("sofia-marquez", "Sofía Márquez", "Universidad de Chile", "Studies mentoring programmes for new teachers."),
]

BOARD = ["Aiko Tanaka", "Ben Carter", "Chidi Eze", "Dana Novak", "Elif Demir", "Farah Haddad", "Gustavo Lima",
         "Hana Kim", "Ivan Petrov", "Julia Schmidt"]


def seed(stdout) -> None:
    demo_user("editor@ipma.example", "Edith Editor", CONTENT_EDITOR, is_staff=True)
    for slug, name, affiliation, bio in EXPERTS:
        Expert.objects.get_or_create(slug=slug, defaults={"name": name, "affiliation": affiliation, "bio": bio})
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
