"""Demo data: an issue of each publication with public and members-only articles, research and a draft mailing,
each text in English and Simplified Chinese."""

import datetime

from django.utils import timezone

from applicants.demo import demo_translation_fill
from content.models import Expert
from publications.models import Article, Issue, Mailing, Publication, Research, Subscriber
from publications.services import mailing_created

# slug, title, members only, author, abstract, body; each text as (English, Chinese)
ARTICLES = {
    "connect": [
        ("mentoring-new-teachers",
         ("Mentoring new teachers through their first year", "陪伴新教师走过第一年的导师辅导"), False, "sofia-marquez",
         ("What a year of weekly conversations changed for 40 beginning teachers.",
          "一年的每周谈话，给 40 名初任教师带来了哪些改变。"),
         ("Beginning teachers who met a mentor every week stayed in the profession more often. This article "
          "describes how the programme matched mentors and mentees, how supervision worked, and what the "
          "mentors learned themselves.",
          "每周与导师见面的初任教师更多地留在了教师行业。本文介绍该项目如何为导师和学员配对、督导如何开展，"
          "以及导师们自己从中学到了什么。")),
        ("tacit-knowledge-at-work",
         ("Passing on tacit knowledge before a retirement wave", "在退休潮到来之前传承隐性知识"), True, "james-okafor",
         ("How one utility captured what its senior engineers knew before they retired.",
          "一家公用事业公司如何在资深工程师退休之前留住他们的经验与知识。"),
         ("Members read here the full case: the interview guide, the pairing of retiring engineers with "
          "successors, and the measures of knowledge transfer after eighteen months.",
          "会员可在此阅读完整案例：访谈提纲、即将退休的工程师与接任者的结对安排，以及十八个月后对知识传承效果的衡量。")),
    ],
    "the-link": [
        ("cross-cultural-mentoring",
         ("Cross-cultural mentoring in international universities", "国际化大学中的跨文化导师辅导"), True, "mei-lin",
         ("A study of mentoring pairs who do not share a first language or culture.",
          "一项针对母语或文化背景不同的导师与学员配对的研究。"),
         ("Members read the full study: methods, the twelve pairs followed over two years, and the practices "
          "that helped most, from agreeing expectations to reflective journals.",
          "会员可阅读完整研究：研究方法、历时两年跟踪的十二对导师与学员，以及从约定彼此期望到撰写反思日志等最有帮助的做法。")),
    ],
}

PUBLICATION_NAMES = {"connect": "Connect", "the-link": "The Link"}
# The descriptions publications' migration 0002 seeds in English; the names are titles and stay as they are.
PUBLICATION_DESCRIPTIONS_ZH_HANS = {
    "connect": "来自导师辅导界的新闻、观点与实践。",
    "the-link": "专家撰写的导师辅导与教练领域的研究和实践文章。",
}
ISSUE_TITLE = ("Mentoring that lasts", "长久的导师关系")
MAILING_SUBJECT = ("New in Connect: mentoring that lasts", "Connect 新一期：长久的导师关系")
MAILING_BODY = ("Our new issue is out.", "新一期已经出版。")

# title, authors, year, address, summary as (English, Chinese); a study's title is cited as published
RESEARCH = [
    ("Mentoring and retention of early-career nurses", "Kim, J.; Osei, A.", 2021, "https://doi.org/10.1000/demo1",
     ("Nurses mentored in their first year were more likely to stay in their hospital after two years.",
      "入职第一年接受导师辅导的护士，两年后留在原医院工作的可能性更高。")),
    ("A meta-analysis of workplace mentoring outcomes", "Eby, L. et al.", 2008, "https://doi.org/10.1000/demo2",
     ("Mentoring is associated with better attitudes, behaviour and career outcomes across many studies.",
      "大量研究表明，导师辅导与更积极的态度、行为和职业发展成果相关。")),
]


def seed(stdout) -> None:
    today = timezone.localdate()
    for number_offset, (slug, articles) in enumerate(ARTICLES.items()):
        # The publications come with migration 0002; a test database flushed between tests has lost them.
        publication, _created = Publication.objects.get_or_create(slug=slug, defaults={
            "name_en": PUBLICATION_NAMES[slug]})
        demo_translation_fill(publication, description=PUBLICATION_DESCRIPTIONS_ZH_HANS[slug])
        issue, _created = Issue.objects.get_or_create(publication=publication, number=1, defaults={
            "published_on": today - datetime.timedelta(days=30 + 10 * number_offset), "is_published": True,
            "title_en": ISSUE_TITLE[0],
        })
        demo_translation_fill(issue, title=ISSUE_TITLE[1])
        for position, (article_slug, title, members_only, author, abstract, body) in enumerate(articles):
            article, created = Article.objects.get_or_create(slug=article_slug, defaults={
                "issue": issue, "title_en": title[0], "abstract_en": abstract[0], "body_en": body[0],
                "members_only": members_only, "is_published": True, "position": position,
            })
            if created:
                article.authors.add(*Expert.objects.filter(slug=author))
            demo_translation_fill(article, title=title[1], abstract=abstract[1], body=body[1])
    for title, authors, year, url, summary in RESEARCH:
        research, _created = Research.objects.get_or_create(title=title, defaults={
            "authors": authors, "year": year, "url": url, "summary_en": summary[0]})
        demo_translation_fill(research, summary=summary[1])
    Subscriber.objects.get_or_create(email="applicant@ipma.example", defaults={
        "status": Subscriber.Status.CONFIRMED, "consent_at": timezone.now(), "consent_source": "demo data",
    })
    if not Mailing.objects.exists():
        mailing = Mailing.objects.create(subject_en=MAILING_SUBJECT[0], body_en=MAILING_BODY[0],
                                         issue=Issue.objects.get(publication__slug="connect", number=1))
        mailing_created(mailing=mailing, actor=None)
    for mailing in Mailing.objects.filter(subject_en=MAILING_SUBJECT[0], status=Mailing.Status.DRAFT):
        demo_translation_fill(mailing, subject=MAILING_SUBJECT[1], body=MAILING_BODY[1])
    stdout.write("  Publications: /publications/, /research/, /search/?q=mentoring, /newsletter/; a draft mailing "
                 "waits in the admin.")
