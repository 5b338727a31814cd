"""The public pages and the FAQ the committee starts from, written from the source documents' facts.

Staff edit them in the admin afterwards; this only creates what is missing, so it never overwrites an edit.
"""

from django.db import migrations

PAGES = [
    ("about", "about", 10, "About IPMA", "A global, not-for-profit body for professional mentoring.", """
The International Professional Mentor Association (IPMA) is a not-for-profit professional body. It sets
global standards for mentoring practice and accredits mentors and the mentoring programmes of
organizations, in every industry.

- **Worldwide:** IPMA has no geographical limits and is active in more than 51 countries.
- **Standards:** accreditation rests on the [9 Core Competencies for Professional Mentors](/pages/core-competencies/)
  and a shared [Code of Ethics and Conduct](/code-of-ethics/).
- **Independent training:** IPMA trains no one itself. Qualified Training Service Providers (QTSPs) deliver
  the training; IPMA sets the curriculum, runs the exams and awards the certificates.

## How IPMA is governed

A board of directors governs the association. The board elects the officers (President, President-Elect and
Secretary-Treasurer), who serve two-year terms and run the day-to-day work. An accreditation committee reviews
applications, exam results and renewals. See the [leadership](/leadership/) for who serves today.
"""),
    ("individual-accreditation", "accreditation", 10, "Individual accreditation",
     "Who should get accredited, why, and the five steps to a certificate.", """
IPMA accredits individual mentors at four levels, from Associate Mentor to Master Mentor. A certificate is valid
for five years and is renewed through continuing professional development.

## Who should get accredited?

Executives, educators and teachers, HR professionals, consultants and advisors, coaches, new mentors, people
changing careers, and mentors in any other industry or profession.

## Why get accredited?

- **Credibility:** accreditation shows that you meet standards set by an independent body.
- **Recognition:** it distinguishes your work as a mentor from others in the field.
- **Competitive advantage:** employers value certified mentors for the quality of their guidance.
- **Network:** accredited mentors meet, share experience and work together.
- **Development:** preparing for accreditation makes you reflect on and improve your own practice.

## The five steps

1. **Education and exam:** learn the eight topics of the [curriculum](/curriculum/) with a training partner and pass the exam.
2. **Working experience:** each level asks for a number of years of experience.
3. **Mentoring experience:** log your mentoring service hours in the portal.
4. **Ethics:** adopt the [Code of Ethics and Conduct](/code-of-ethics/).
5. **Application:** apply for your [level](/levels/) in the portal and pay the [fee](/fees/).
"""),
    ("core-competencies", "accreditation", 20, "The 9 Core Competencies for Professional Mentors",
     "The competencies every IPMA accreditation is built on.", """
Every IPMA accreditation, and the training that QTSPs deliver for it, is built on the **9 Core Competencies for
Professional Mentors**. They describe what an effective mentor does to guide and support a mentee, and they are
examined through the eight topics of the [curriculum](/curriculum/): coaching skills, mentoring skills,
supervision skills, knowledge management, tacit knowledge management, business skills in mentoring, tools,
methodologies and technologies, and the code of ethics and conduct.

The weight of each topic in the exam changes with the level, reflecting what the role asks of a mentor.
"""),
    ("ccr-pdu", "accreditation", 30, "Continuing Certification Requirements (CCR) and PDUs",
     "How certificates are renewed by earning and claiming professional development units.", """
An IPMA certificate is valid for five years. To renew it, a holder takes part in the Continuing Certification
Requirements (CCR) programme: they earn **professional development units (PDUs)**, one per hour of eligible
learning or contribution, and claim them in the portal.

## How many PDUs?

Each level asks for a number of PDUs per five-year period. The committee sets the figures; the portal shows the
current ones on each holder's certificate page (by default 30 for Associate, 45 for Professional, 60 for Senior
and 75 for Master Mentors).

## Earning and claiming

- Attend IPMA webinars and the annual conference: their PDUs are recorded for you.
- Claim other activities (training, teaching, writing) with evidence; a share of claims is audited by the committee.

## Renewal

Holders are reminded before their certificate expires. Once the PDUs are complete, they renew in the portal;
after expiry there is a short grace period, after which the accreditation lapses.
"""),
    ("training-partners", "partners", 10, "Training partners (QTSPs)",
     "What Qualified Training Service Providers gain, what they commit to, and how to apply.", """
IPMA does not train mentors itself: all training is delivered by **Qualified Training Service Providers (QTSPs)**.

## What a QTSP gains

- **Credibility and trust:** the IPMA brand and the 9 Core Competencies behind your programmes.
- **Revenue growth:** more clients through IPMA's directory and network.
- **Exclusive resources:** tools, training and networks for partners.
- **Visibility:** a listing in the [training partner directory](/partners/) and the training calendar.
- **Ongoing support** from IPMA.

## What a QTSP commits to

Deliver the curriculum to IPMA's standards, keep accurate trainee rosters in the portal (attendance, hours and
completion), and take on fast-track candidates assigned to them.

## How to apply

Create an account, then apply as a training partner from your dashboard. The committee reviews the application.
"""),
    ("organization-accreditation", "partners", 20, "Organization accreditation",
     "Accreditation of mentoring programmes, an ESG recognition, and the use of the logo.", """
IPMA accredits the mentoring programmes of organizations: companies, schools and universities, public bodies and
not-for-profits. An accredited programme meets IPMA's standards of quality and effectiveness in supporting
professional growth.

- **Standards:** the committee reviews the programme's design, mentor selection and training, matching,
  supervision, ethics and evaluation.
- **ESG recognition:** accreditation is a recognition of the organization's social commitment in mentoring.
- **The logo:** an accredited programme receives a certificate and may use the IPMA accreditation logo while the
  accreditation is in force; it is listed in the public [directory](/directory/).

Accreditation runs for five years, with an annual report, and is then renewed.
"""),
    ("who-can-join", "about", 20, "Who can join",
     "Membership is open to everyone with an interest in mentoring.", """
Membership of the association is open to anyone. It is particularly worthwhile if you are:

- a representative of a mentoring programme or organization, in business, government, education, a community
  setting or a not-for-profit;
- a mentoring programme director;
- education faculty, from schools to graduate programmes;
- a human resources leader or training professional;
- an organization or staff development leader;
- a mentoring researcher, mentor trainer or consultant;
- a mentor, coach, mentee or protégé;
- or simply interested in mentoring and the association's mission.

Members pay the member price for accreditation, webinars and the conference, read members-only articles and
receive the newsletter. See [membership](/membership/).
"""),
    ("leadership", "about", 30, "Leadership", "How the association is led.", """
The association is led by its **board of directors**, which has between 10 and 15 members and may have as many as
twenty. The board meets at least twice a year and also decides between meetings.

The **executive committee** consists of the officers the board elects: the President, the President-Elect and the
Secretary-Treasurer. Officers serve two-year terms.
"""),
]

FAQ = [
    ("accreditation", "About accreditation", 10, [
        ("what-are-ipma-accreditations", "What are IPMA accreditations?",
         "They are certifications that validate your skills and expertise in professional mentoring against "
         "international standards, at one of four levels."),
        ("why-choose-ipma", "Why choose an IPMA certification?",
         "It shows you meet demanding mentoring standards, adds to your credibility, widens your professional "
         "network and shows your commitment to continuing development."),
        ("which-level", "Which level is right for me?",
         "It depends on your mentoring hours, your years of mentoring and your training. Compare the "
         "[levels](/levels/) and their requirements."),
    ]),
    ("certificate-holders", "For certificate holders", 20, [
        ("already-certified", "I already hold an IPMA certificate. What next?",
         "Keep it in force through the [CCR programme](/pages/ccr-pdu/): earn and claim PDUs and renew before it "
         "expires. You can also apply for the next level."),
        ("how-long-valid", "How long is a certificate valid?", "Five years from the day it is issued."),
    ]),
]


def seed(apps, schema_editor):
    Page = apps.get_model("content", "Page")
    FaqGroup = apps.get_model("content", "FaqGroup")
    FaqEntry = apps.get_model("content", "FaqEntry")
    for slug, nav_group, order, title, summary, body in PAGES:
        Page.objects.get_or_create(slug=slug, defaults={
            "title": title, "title_en": title, "summary": summary, "summary_en": summary,
            "body": body.strip(), "body_en": body.strip(), "status": "published",
            "nav_group": nav_group, "nav_order": order,
        })
    for group_slug, group_title, position, entries in FAQ:
        group, _created = FaqGroup.objects.get_or_create(slug=group_slug, defaults={
            "title": group_title, "title_en": group_title, "position": position,
        })
        for index, (slug, question, answer) in enumerate(entries):
            FaqEntry.objects.get_or_create(slug=slug, defaults={
                "group": group, "question": question, "question_en": question, "answer": answer,
                "answer_en": answer, "position": (index + 1) * 10, "published": True,
            })


class Migration(migrations.Migration):
    dependencies = [("content", "0002_pages_faq_leadership_contact")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
