"""Demo data: an issue of each publication with public and members-only articles, research and a draft mailing."""

import datetime

from django.utils import timezone

from content.models import Expert
from publications.models import Article, Issue, Mailing, Publication, Research, Subscriber
from publications.services import mailing_created

ARTICLES = {
    "connect": [
        ("mentoring-new-teachers", "Mentoring new teachers through their first year", False, "sofia-marquez",
         "What a year of weekly conversations changed for 40 beginning teachers.",
         "Beginning teachers who met a mentor every week stayed in the profession more often. This article "
         "describes how the programme matched mentors and mentees, how supervision worked, and what the "
         "mentors learned themselves."),
        ("tacit-knowledge-at-work", "Passing on tacit knowledge before a retirement wave", True, "james-okafor",
         "How one utility captured what its senior engineers knew before they retired.",
         "Members read here the full case: the interview guide, the pairing of retiring engineers with "
         "successors, and the measures of knowledge transfer after eighteen months."),
    ],
    "the-link": [
        ("cross-cultural-mentoring", "Cross-cultural mentoring in international universities", True, "mei-lin",
         "A study of mentoring pairs who do not share a first language or culture.",
         "Members read the full study: methods, the twelve pairs followed over two years, and the practices "
         "that helped most, from agreeing expectations to reflective journals."),
    ],
}

PUBLICATION_NAMES = {"connect": "Connect", "the-link": "The Link"}

RESEARCH = [
    ("Mentoring and retention of early-career nurses", "Kim, J.; Osei, A.", 2021, "https://doi.org/10.1000/demo1",
     "Nurses mentored in their first year were more likely to stay in their hospital after two years."),
    ("A meta-analysis of workplace mentoring outcomes", "Eby, L. et al.", 2008, "https://doi.org/10.1000/demo2",
     "Mentoring is associated with better attitudes, behaviour and career outcomes across many studies."),
]


def seed(stdout) -> None:
    today = timezone.localdate()
    for number_offset, (slug, articles) in enumerate(ARTICLES.items()):
        # The publications come with migration 0002; a test database flushed between tests has lost them.
        publication, _created = Publication.objects.get_or_create(slug=slug, defaults={"name": PUBLICATION_NAMES[slug]})
        issue, _created = Issue.objects.get_or_create(publication=publication, number=1, defaults={
            "published_on": today - datetime.timedelta(days=30 + 10 * number_offset), "is_published": True,
            "title": "Mentoring that lasts",
        })
        for position, (article_slug, title, members_only, author, abstract, body) in enumerate(articles):
            article, created = Article.objects.get_or_create(slug=article_slug, defaults={
                "issue": issue, "title": title, "abstract": abstract, "body": body, "members_only": members_only,
                "is_published": True, "position": position,
            })
            if created:
                article.authors.add(*Expert.objects.filter(slug=author))
    for title, authors, year, url, summary in RESEARCH:
        Research.objects.get_or_create(title=title, defaults={"authors": authors, "year": year, "url": url,
                                                              "summary": summary})
    Subscriber.objects.get_or_create(email="applicant@ipma.example", defaults={
        "status": Subscriber.Status.CONFIRMED, "consent_at": timezone.now(), "consent_source": "demo data",
    })
    if not Mailing.objects.exists():
        mailing = Mailing.objects.create(subject="New in Connect: mentoring that lasts", body="Our new issue is out.",
                                         issue=Issue.objects.get(publication__slug="connect", number=1))
        mailing_created(mailing=mailing, actor=None)
    stdout.write("  Publications: /publications/, /research/, /search/?q=mentoring, /newsletter/; a draft mailing "
                 "waits in the admin.")
