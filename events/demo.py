"""Demo events for `make run`: a year of monthly webinars, the next twelve, and next year's conference.

Past webinars carry recordings and the attendance of the demo applicant and a certificate holder, whose
PDUs from events then show on their renewal pages. Safe to run again: every row is found by its slug.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

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
SPEAKERS = [
    ("grace-ndlovu", "Grace Ndlovu", "University of Cape Town", "Researcher in workplace mentoring and trust."),
    ("wang-fang", "王芳", "Shanghai Leadership Institute", "Trains mentors for large public organizations."),
    ("diego-alvarez", "Diego Álvarez", "Mentoring Lab Madrid", "Author of books on reverse mentoring."),
]


def _series() -> Series:
    series, _created = Series.objects.get_or_create(
        title_en="Monthly mentoring webinar",
        defaults={"title_zh_hans": "每月导师网络研讨会", "summary_en": "An hour on one essential of mentoring, with questions.",
                  "local_start_time": datetime.time(13, 0), "time_zone": "UTC", "weekday": 3, "week_of_month": 2,
                  "duration_minutes": 60, "capacity": 300, "pdu_value": Decimal("1.0"),
                  "member_price": Decimal("0"), "non_member_price": Decimal("15.00")},
    )
    return series


def _past_webinar(series: Series | None, starts_at: datetime.datetime, slug: str, title: str, reviewer,
                  people) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        event = Event.objects.create(
            series=series, kind=EventKind.WEBINAR, slug=slug, title_en=title,
            summary_en="An hour on one essential of mentoring, with questions.",
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=60), capacity=300,
            pdu_value=Decimal("1.0"), recording_url=f"https://video.example.org/ipma/{slug}",
            join_url="https://meet.example.org/ipma-monthly", status=EventStatus.DRAFT,
        )
        EventPrice.objects.bulk_create([EventPrice(event=event, audience=Audience.MEMBER, amount=0),
                                        EventPrice(event=event, audience=Audience.NON_MEMBER, amount=15)])
        event_record(event, actor=reviewer, note="Demo data.")
        event_publish(event=event, actor=reviewer)
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
            attendance_record(registration=registration, actor=reviewer, attended=True, minutes=58)
    if event.status == EventStatus.PUBLISHED and event.ends_at <= timezone.now():
        event_finish(event=event, actor=reviewer)
    return event


def _conference(reviewer) -> Event:
    year = timezone.now().year + 1
    slug = f"annual-conference-{year}"
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        return event
    starts_at = datetime.datetime(year, 10, 14, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Hong Kong
    event = Event.objects.create(
        kind=EventKind.CONFERENCE, format=EventFormat.HYBRID, slug=slug,
        title_en=f"IPMA Annual Conference {year}", title_zh_hans=f"IPMA {year} 年会",
        summary_en="Two days of keynotes, panels and workshops on mentoring across cultures.",
        description_en="Meet mentors, programme leaders and researchers from around the world.",
        venue_en="Hong Kong Convention and Exhibition Centre", time_zone="Asia/Hong_Kong",
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
    for slug_, name, affiliation, bio in SPEAKERS:
        expert, _created = Expert.objects.get_or_create(slug=slug_, defaults={
            "name": name, "affiliation_en": affiliation, "bio_en": bio})
        speakers.append(expert)
    event.speakers.set(speakers)
    sessions = [
        (0, 0, 60, "Opening keynote: why mentoring travels", "Main hall", "Plenary", [0]),
        (0, 90, 60, "Panel: mentoring in large public institutions", "Main hall", "Organizations", [1]),
        (0, 90, 60, "Workshop: the first three sessions", "Room 201", "Practice", [2]),
        (1, 0, 60, "Research: what makes mentoring last", "Main hall", "Research", [0]),
        (1, 90, 90, "Workshop: reverse mentoring", "Room 201", "Practice", [2]),
        (1, 240, 45, "Closing: the year ahead", "Main hall", "Plenary", [0, 1, 2]),
    ]
    for day, minutes, length, title, room, track, who in sessions:
        start = starts_at + datetime.timedelta(days=day, minutes=minutes)
        item = event.programme.create(title_en=title, starts_at=start, ends_at=start + datetime.timedelta(minutes=length),
                                      room=room, track=track)
        item.speakers.set([speakers[i] for i in who])
    event_record(event, actor=reviewer, note="Demo data.")
    event_publish(event=event, actor=reviewer)
    return event


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
        _past_webinar(series, start, f"monthly-webinar-{start:%Y-%m}", f"Monthly mentoring webinar, {start:%B %Y}",
                      reviewer, people)
    # Earlier today: certificates issued by the demo today count it, so their renewal pages show event PDUs.
    today_start = max(now - datetime.timedelta(hours=3), now.replace(hour=0, minute=0, second=0, microsecond=0))
    _past_webinar(None, today_start, f"ethics-clinic-{today_start:%Y-%m-%d}", "Ethics clinic (demo, earlier today)",
                  reviewer, people)
    upcoming = [e for e in series.events.filter(starts_at__gt=now, status=EventStatus.DRAFT)]
    if not series.events.filter(starts_at__gt=now).exists():
        upcoming = series_create_next(series=series, actor=reviewer)
    for event in upcoming:
        event.join_url = "https://meet.example.org/ipma-monthly"
        event.save(update_fields=["join_url"])
        event_publish(event=event, actor=reviewer)
    conference = _conference(reviewer)
    stdout.write(f"Events: {len(past) + 1} past webinars with recordings and attendance, "
                 f"{series.events.filter(starts_at__gt=now).count()} upcoming, and {conference.title} "
                 f"(/events/{conference.slug}/).")
