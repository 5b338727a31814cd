"""Demo events for `make run`: a year of monthly webinars, the next twelve, and next year's conference.

Past webinars carry recordings and the attendance of the demo applicant and a certificate holder, whose
PDUs from events then show on their renewal pages. Safe to run again: every row is found by its slug.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from applicants.demo import demo_translation_fill
from content.models import Expert
from events.models import (
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventPrice,
    EventStatus,
    Registration,
    Series,
)
from events.models import RegistrationStatus as RS
from events.services import attendance_record, event_finish, event_publish, series_create_next
from events.services.events import series_dates
from workflows.services import event_record

ATTENDEES = ("applicant@ipma.example", "mentor.li@ipma.example")
# slug, name, affiliation, biography, each text in English and Chinese
SPEAKERS = [
    ("grace-ndlovu", "Grace Ndlovu", ("University of Cape Town", "开普敦大学"),
     ("Researcher in workplace mentoring and trust.", "研究职场导师辅导与信任。")),
    ("wang-fang", "王芳", ("Shanghai Leadership Institute", "上海领导力学院"),
     ("Trains mentors for large public organizations.", "为大型公共机构培训导师。")),
    ("diego-alvarez", "Diego Álvarez", ("Mentoring Lab Madrid", "马德里导师辅导实验室"),
     ("Author of books on reverse mentoring.", "著有多部关于反向导师制的书籍。")),
]
SERIES_TITLE = ("Monthly mentoring webinar", "每月导师网络研讨会")
WEBINAR_SUMMARY = ("An hour on one essential of mentoring, with questions.", "每期一小时，讲解导师辅导的一项要点，并设问答环节。")
CONFERENCE = {
    "summary": ("Two days of keynotes, panels and workshops on mentoring across cultures.",
                "为期两天的主旨演讲、专题讨论和工作坊，聚焦跨文化导师辅导。"),
    "description": ("Meet mentors, programme leaders and researchers from around the world.",
                    "与来自世界各地的导师、项目负责人和研究人员见面交流。"),
    "venue": ("Hong Kong Convention and Exhibition Centre", "香港会议展览中心"),
}
# day, minutes after the opening, length, then the title, room and track in English and Chinese, speakers (indexes in
# SPEAKERS)
MAIN_HALL, ROOM_201 = ("Main hall", "主会场"), ("Room 201", "201 会议室")
PLENARY, ORGANIZATIONS = ("Plenary", "全体会议"), ("Organizations", "机构")
PRACTICE, RESEARCH = ("Practice", "实践"), ("Research", "研究")
SESSIONS = [
    (0, 0, 60, ("Opening keynote: why mentoring travels", "开幕主旨演讲：导师辅导为何能跨越国界"),
     MAIN_HALL, PLENARY, [0]),
    (0, 90, 60, ("Panel: mentoring in large public institutions", "专题讨论：大型公共机构中的导师辅导"),
     MAIN_HALL, ORGANIZATIONS, [1]),
    (0, 90, 60, ("Workshop: the first three sessions", "工作坊：最初的三次辅导"), ROOM_201, PRACTICE, [2]),
    (1, 0, 60, ("Research: what makes mentoring last", "研究报告：怎样的导师关系能够长久"), MAIN_HALL, RESEARCH, [0]),
    (1, 90, 90, ("Workshop: reverse mentoring", "工作坊：反向导师制"), ROOM_201, PRACTICE, [2]),
    (1, 240, 45, ("Closing: the year ahead", "闭幕：展望新的一年"), MAIN_HALL, PLENARY, [0, 1, 2]),
]


def _series() -> Series:
    series, _created = Series.objects.get_or_create(
        title_en=SERIES_TITLE[0],
        defaults={"summary_en": WEBINAR_SUMMARY[0],
                  "local_start_time": datetime.time(13, 0), "time_zone": "UTC", "weekday": 3, "week_of_month": 2,
                  "duration_minutes": 60, "capacity": 300, "pdu_value": Decimal("1.0"),
                  "member_price": Decimal("0"), "non_member_price": Decimal("15.00")},
    )
    return demo_translation_fill(series, title=SERIES_TITLE[1], summary=WEBINAR_SUMMARY[1])


def _past_webinar(series: Series | None, starts_at: datetime.datetime, slug: str, title: tuple[str, str], reviewer,
                  people, length: datetime.timedelta = datetime.timedelta(minutes=60)) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        event = Event.objects.create(
            series=series, kind=EventKind.WEBINAR, slug=slug, title_en=title[0], summary_en=WEBINAR_SUMMARY[0],
            starts_at=starts_at, ends_at=starts_at + length, capacity=300,
            pdu_value=Decimal("1.0"), recording_url=f"https://video.example.org/ipma/{slug}",
            join_url="https://meet.example.org/ipma-monthly", status=EventStatus.DRAFT,
        )
        EventPrice.objects.bulk_create([EventPrice(event=event, audience=Audience.MEMBER, amount=0),
                                        EventPrice(event=event, audience=Audience.NON_MEMBER, amount=15)])
        event_record(event, actor=reviewer, note="Demo data.")
        event_publish(event=event, actor=reviewer)
    demo_translation_fill(event, title=title[1], summary=WEBINAR_SUMMARY[1])
    for person in people:
        registration = Registration.objects.filter(event=event, person=person).first()
        if registration is None:
            # Registration closed long ago; the demo writes the confirmed place as it would have been made.
            registration = Registration.objects.create(event=event, person=person, status=RS.CONFIRMED,
                                                       created_at=starts_at - datetime.timedelta(days=7),
                                                       confirmed_at=starts_at - datetime.timedelta(days=7))
            event_record(registration, actor=None, from_status="", note="Demo data.")
            Event.objects.filter(pk=event.pk).update(places_taken=event.places_taken + 1)
            event.refresh_from_db()
        if registration.attended is None:
            attendance_record(registration=registration, actor=reviewer, attended=True,
                              minutes=max(1, min(58, int(length.total_seconds() // 60) - 2)))
    if event.status == EventStatus.PUBLISHED and event.ends_at <= timezone.now():
        event_finish(event=event, actor=reviewer)
    return event


def _conference(reviewer) -> Event:
    year = timezone.now().year + 1
    slug = f"annual-conference-{year}"
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        _conference_translate(event)
        return event
    starts_at = datetime.datetime(year, 10, 14, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Hong Kong
    event = Event.objects.create(
        kind=EventKind.CONFERENCE, format=EventFormat.HYBRID, slug=slug, title_en=f"IPMA Annual Conference {year}",
        **{f"{field}_en": english for field, (english, _chinese) in CONFERENCE.items()}, time_zone="Asia/Hong_Kong",
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(days=1, hours=8), capacity=400,
        pdu_value=Decimal("12.0"), registration_opens_at=timezone.now() - datetime.timedelta(days=1),
        join_url="https://meet.example.org/ipma-conference", status=EventStatus.DRAFT,
    )
    EventPrice.objects.bulk_create([
        EventPrice(event=event, audience=Audience.MEMBER, amount=Decimal("250.00"),
                   early_bird_amount=Decimal("190.00"), early_bird_until=datetime.date(year, 6, 30)),
        EventPrice(event=event, audience=Audience.NON_MEMBER, amount=Decimal("450.00"),
                   early_bird_amount=Decimal("390.00"), early_bird_until=datetime.date(year, 6, 30)),
    ])
    speakers = []
    for slug_, name, (affiliation, _affiliation_zh), (bio, _bio_zh) in SPEAKERS:
        expert, _created = Expert.objects.get_or_create(slug=slug_, defaults={
            "name": name, "affiliation_en": affiliation, "bio_en": bio})
        speakers.append(expert)
    event.speakers.set(speakers)
    for day, minutes, length, (title, _title_zh), room, track, who in SESSIONS:
        start = starts_at + datetime.timedelta(days=day, minutes=minutes)
        item = event.programme.create(title_en=title, starts_at=start, ends_at=start + datetime.timedelta(minutes=length),
                                      room_en=room[0], track_en=track[0])
        item.speakers.set([speakers[i] for i in who])
    _conference_translate(event)
    event_record(event, actor=reviewer, note="Demo data.")
    event_publish(event=event, actor=reviewer)
    return event


def _conference_translate(event: Event) -> None:
    """The Chinese of the conference, its speakers and its programme, also for a conference an earlier seed made."""
    demo_translation_fill(event, title=f"IPMA {event.starts_at.year} 年会",
                          **{field: chinese for field, (_english, chinese) in CONFERENCE.items()})
    experts = {expert.slug: expert for expert in event.speakers.all()}
    for slug, _name, (_affiliation, affiliation_zh), (_bio, bio_zh) in SPEAKERS:
        if slug in experts:
            demo_translation_fill(experts[slug], affiliation=affiliation_zh, bio=bio_zh)
    sessions = {title: (title_zh, room, track) for _day, _minutes, _length, (title, title_zh), room, track, _who
                in SESSIONS}
    for item in event.programme.all():
        if item.title_en in sessions:
            title_zh, room, track = sessions[item.title_en]
            demo_translation_fill(item, title=title_zh, room=room[1], track=track[1])


@transaction.atomic
def seed(stdout) -> None:
    users = get_user_model().objects
    reviewer = users.filter(email="reviewer@ipma.example").first()
    people = [person for person in users.filter(email__in=ATTENDEES).order_by("email")]
    series = _series()
    now = timezone.now()
    past = [start for start in series_dates(series, after=now - datetime.timedelta(days=365), count=12)
            if start + datetime.timedelta(hours=1) < now]
    for start in past:
        title = (f"{SERIES_TITLE[0]}, {start:%B %Y}", f"{SERIES_TITLE[1]}（{start.year}年{start.month}月）")
        _past_webinar(series, start, f"monthly-webinar-{start:%Y-%m}", title, reviewer, people)
    # Earlier today: certificates issued by the demo today count it, so their renewal pages show event PDUs.
    today_start = max(now - datetime.timedelta(hours=3), now.replace(hour=0, minute=0, second=0, microsecond=0))
    # Shorter than an hour just after midnight (UTC), so that it has ended and counts, whatever the time of the seed.
    length = max(min(datetime.timedelta(minutes=60), now - today_start - datetime.timedelta(seconds=1)),
                 datetime.timedelta(seconds=1))
    _past_webinar(None, today_start, f"ethics-clinic-{today_start:%Y-%m-%d}",
                  ("Ethics clinic (demo, earlier today)", "道德问题答疑会（演示，今天早些时候）"), reviewer, people,
                  length=length)
    upcoming = [e for e in series.events.filter(starts_at__gt=now, status=EventStatus.DRAFT)]
    if not series.events.filter(starts_at__gt=now).exists():
        upcoming = series_create_next(series=series, actor=reviewer)
    for event in upcoming:
        event.join_url = "https://meet.example.org/ipma-monthly"
        event.save(update_fields=["join_url"])
        event_publish(event=event, actor=reviewer)
    # The series' next webinars copy its Chinese when they are made; these were made before it had all of it.
    for event in series.events.filter(starts_at__gt=now):
        demo_translation_fill(event, title=series.title_zh_hans, summary=series.summary_zh_hans)
    conference = _conference(reviewer)
    stdout.write(f"Events: {len(past) + 1} past webinars with recordings and attendance, "
                 f"{series.events.filter(starts_at__gt=now).count()} upcoming, and {conference.title} "
                 f"(/events/{conference.slug}/).")
