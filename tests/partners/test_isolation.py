"""Every URL of the QTSP portal, walked by the QTSP's own staff, a second QTSP's staff, an applicant and
anonymous: only the QTSP's own people get in, and nobody else's request changes anything."""

import io
from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse

from fasttrack.models import Referral
from partners.models import (
    Cohort,
    Enrolment,
    PlaceRequest,
    ProgrammeStatus,
    QTSPInvitation,
    QTSPStaff,
    TrainingProgramme,
)
from partners.staff import qtsp_staff
from tests.factories import ApplicantFactory
from tests.fasttrack.factories import ReferralFactory
from tests.partners.factories import (
    CohortFactory,
    EnrolmentFactory,
    FasttrackProgrammeFactory,
    PlaceRequestFactory,
    ProgrammeFactory,
    QTSPFactory,
    coordinator_of,
    owner_of,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    qtsp: object
    owner: object
    other_owner: object
    applicant: object
    objects: dict


@pytest.fixture
def world():
    qtsp, other = QTSPFactory(place="London"), QTSPFactory(place="Berlin")
    owner, other_owner = owner_of(qtsp), owner_of(other)
    programme = ProgrammeFactory(qtsp=qtsp)
    cohort = CohortFactory(programme=programme)
    fasttrack_cohort = CohortFactory(programme=FasttrackProgrammeFactory(qtsp=qtsp))
    coordinator = coordinator_of(qtsp)
    objects = {
        "qtsp": qtsp, "programme": programme, "cohort": cohort, "fasttrack_cohort": fasttrack_cohort,
        "enrolment": EnrolmentFactory(cohort=cohort, email="on.roster@example.org"),
        "membership": QTSPStaff.objects.get(user=coordinator),
        "invitation": qtsp_staff.invite(organisation=qtsp, email="invitee@example.org", role="coordinator", actor=owner),
        "referral": ReferralFactory(qtsp=qtsp, application__applicant__full_name="Referred Candidate"),
        "accepted_referral": ReferralFactory(qtsp=qtsp, status=Referral.Status.ACCEPTED),
        "place_request": PlaceRequestFactory(cohort=cohort),
        "draft_programme": ProgrammeFactory(qtsp=qtsp, status=ProgrammeStatus.DRAFT, title="Draft programme"),
    }
    return World(qtsp, owner, other_owner, ApplicantFactory(), objects)


def csv_file():
    upload = io.BytesIO(b"email\nimported@example.org\n")
    upload.name = "roster.csv"
    return upload


# name: (method, object the URL names, POST data)
PORTAL_URLS = {
    "partners:portal": ("get", None, None),
    "partners:portal_home": ("get", "qtsp", None),
    "partners:staff": ("get", "qtsp", None),
    "partners:staff_remove": ("post", "membership", {}),
    "partners:invitation_revoke": ("post", "invitation", {}),
    "partners:programme_create": ("get", "qtsp", None),
    "partners:programme_detail": ("get", "programme", None),
    "partners:programme_edit": ("get", "programme", None),
    "partners:cohort_create": ("get", "programme", None),
    "partners:cohort_detail": ("get", "cohort", None),
    "partners:cohort_edit": ("get", "cohort", None),
    "partners:trainee_add": ("post", "cohort", {"email": "added@example.org"}),
    "partners:roster_import": ("post", "cohort", {"file": csv_file}),
    "partners:roster_export": ("get", "cohort", None),
    "partners:enrolment_record": ("get", "enrolment", None),
    "partners:enrolment_withdraw": ("post", "enrolment", {}),
    "partners:place_requests": ("get", "qtsp", None),
    "partners:place_request_accept": ("post", "place_request", {}),
    "partners:place_request_decline": ("post", "place_request", {"note": "Full"}),
    "partners:programme_syllabus": ("get", "draft_programme", None),
    "partners:programme_submit": ("post", "draft_programme", {}),
    "partners:reapproval": ("get", "qtsp", None),
    "partners:qtsp_mark": ("get", "qtsp", None),
    "fasttrack:referrals": ("get", None, None),
    "fasttrack:referral_detail": ("get", "referral", None),
    "fasttrack:referral_accept": ("post", "referral", {"note": ""}),
    "fasttrack:referral_decline": ("post", "referral", {"note": "No trainer free"}),
    "fasttrack:referral_enrol": ("post", "accepted_referral", {"cohort": "fasttrack_cohort"}),
}


def portal_url_names() -> set[str]:
    names = set()
    for namespace in ("partners", "fasttrack"):
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {f"{namespace}:{p.name}" for p in resolver.url_patterns if str(p.pattern).startswith("partners/portal/")}
    return names


def test_the_matrix_covers_every_portal_url():
    assert set(PORTAL_URLS) == portal_url_names()


def request(client, world, name):
    method, key, data = PORTAL_URLS[name]
    target = world.objects.get(key) if key else None
    url = reverse(name, args=[target.pk] if target is not None else [])
    if method == "get":
        return client.get(url)
    payload = {k: (v() if callable(v) else world.objects[v].pk if v in world.objects else v) for k, v in data.items()}
    return client.post(url, payload)


def state(world):
    """Everything a portal request could change."""
    return (
        list(Enrolment.objects.order_by("pk").values_list("pk", "status", "email")),
        list(Cohort.objects.order_by("pk").values_list("pk", "seats_taken")),
        list(QTSPStaff.objects.order_by("pk").values_list("pk", "role")),
        list(QTSPInvitation.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Referral.objects.order_by("pk").values_list("pk", "status")),
        list(PlaceRequest.objects.order_by("pk").values_list("pk", "status")),
        list(TrainingProgramme.objects.order_by("pk").values_list("pk", "status")),
    )


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_own_staff_are_served(name, client, world):
    client.force_login(world.owner)

    response = request(client, world, name)

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "/accounts/login/" not in response["Location"]


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_second_qtsps_staff_get_nothing_of_another_qtsp(name, client, world):
    client.force_login(world.other_owner)
    before = state(world)

    response = request(client, world, name)

    if PORTAL_URLS[name][1] is None:  # their own lists: served, but without the other QTSP's rows
        assert response.status_code in (200, 302)
        followed = client.get(response["Location"]) if response.status_code == 302 else response
        assert "Referred Candidate" not in followed.content.decode()
        assert world.qtsp.name not in followed.content.decode()
    else:
        assert response.status_code == 404
    assert state(world) == before


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_applicants_are_refused(name, client, world):
    client.force_login(world.applicant)
    before = state(world)

    assert request(client, world, name).status_code == 403
    assert state(world) == before


@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_anonymous_visitors_are_sent_to_sign_in(name, client, world):
    before = state(world)

    response = request(client, world, name)

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert state(world) == before


def test_coordinator_sees_the_portal_but_cannot_change_the_staff(client, world):
    coordinator = world.objects["membership"].user
    client.force_login(coordinator)

    assert client.get(reverse("partners:cohort_detail", args=[world.objects["cohort"].pk])).status_code == 200
    assert client.post(reverse("partners:staff_remove", args=[world.objects["membership"].pk])).status_code == 403
    assert client.post(reverse("partners:invitation_revoke", args=[world.objects["invitation"].pk])).status_code == 403
