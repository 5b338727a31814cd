import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from accreditation.models import Level
from exams.models import ExamBlueprint, Topic, TopicWeight
from exams.services import blueprint_weights_set

# DESIGN.md, "Exam weights (%) by topic for AM / PM / SM / MM".
PUBLISHED = {
    "Coaching skills": (30, 30, 20, 10),
    "Mentoring skills": (35, 35, 25, 20),
    "Supervision skills": (5, 5, 10, 10),
    "Knowledge management": (5, 5, 5, 5),
    "Tacit knowledge management": (5, 5, 10, 15),
    "Business skills in mentoring": (5, 5, 10, 15),
    "Tools, methodologies & technologies": (5, 5, 10, 15),
    "Code of ethics & conducts": (10, 10, 10, 10),
}


def check_deferred_constraints_now():
    """Run the deferred sum-to-100 trigger without committing (the test's transaction never commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS exams_topicweight_sum_100 IMMEDIATE")


def weights_of(code: str) -> dict[str, int]:
    return dict(TopicWeight.objects.filter(blueprint__level__code=code).values_list("topic__code", "weight"))


@pytest.mark.django_db
def test_curriculum_data_is_the_published_table():
    table = {
        weight.topic.name: weight.weight
        for weight in TopicWeight.objects.select_related("topic", "blueprint__level")
        if weight.blueprint.level.code == "AM"
    }
    assert list(Topic.objects.values_list("name", flat=True)) == list(PUBLISHED)
    for column, code in enumerate(["AM", "PM", "SM", "MM"]):
        got = {w.topic.name: w.weight for w in TopicWeight.objects.filter(blueprint__level__code=code)
               .select_related("topic")}
        assert got == {name: weights[column] for name, weights in PUBLISHED.items()}, code
        assert sum(got.values()) == 100
    assert table["Mentoring skills"] == 35


@pytest.mark.django_db
def test_database_refuses_weights_not_adding_up_to_100():
    with pytest.raises(IntegrityError, match="add up to 101, not 100"), transaction.atomic():
        TopicWeight.objects.filter(blueprint__level__code="PM", topic__code="ethics").update(weight=F("weight") + 1)
        check_deferred_constraints_now()

    assert weights_of("PM")["ethics"] == 10


@pytest.mark.django_db
def test_database_accepts_several_rows_changed_in_one_transaction():
    TopicWeight.objects.filter(blueprint__level__code="SM", topic__code="ethics").update(weight=15)
    TopicWeight.objects.filter(blueprint__level__code="SM", topic__code="coaching-skills").update(weight=15)

    check_deferred_constraints_now()

    assert sum(weights_of("SM").values()) == 100


@pytest.mark.django_db(transaction=True)
def test_committing_a_wrong_total_is_refused_and_nothing_changes(reference_data):
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicWeight.objects.filter(blueprint__level__code="MM", topic__code="ethics").update(weight=50)

    assert weights_of("MM")["ethics"] == 10


@pytest.mark.django_db
def test_service_sets_weights_that_add_up_to_100():
    blueprint = ExamBlueprint.objects.get(level__code="AM")
    weights = {**weights_of("AM"), "coaching-skills": 25, "ethics": 15}

    blueprint_weights_set(blueprint=blueprint, weights=weights)
    check_deferred_constraints_now()

    assert weights_of("AM") == weights


@pytest.mark.django_db
def test_service_refuses_weights_not_adding_up_to_100():
    blueprint = ExamBlueprint.objects.get(level__code="AM")

    with pytest.raises(ValidationError, match="must add up to 100; these add up to 105"):
        blueprint_weights_set(blueprint=blueprint, weights={**weights_of("AM"), "ethics": 15})

    assert weights_of("AM")["ethics"] == 10


def _blueprint_form_data(blueprint, weights: dict[str, int]) -> dict:
    rows = list(blueprint.weights.select_related("topic").order_by("topic__position"))
    data = {"weights-TOTAL_FORMS": len(rows), "weights-INITIAL_FORMS": len(rows),
            "weights-MIN_NUM_FORMS": 0, "weights-MAX_NUM_FORMS": 1000}
    for index, row in enumerate(rows):
        data.update({f"weights-{index}-id": row.pk, f"weights-{index}-blueprint": blueprint.pk,
                     f"weights-{index}-topic": row.topic_id, f"weights-{index}-weight": weights[row.topic.code]})
    return data


@pytest.mark.django_db
def test_admin_refuses_weights_not_adding_up_to_100(client, reviewer):
    client.force_login(reviewer)
    blueprint = ExamBlueprint.objects.get(level__code="MM")
    weights = {**weights_of("MM"), "ethics": 20}

    response = client.post(f"/admin/exams/examblueprint/{blueprint.pk}/change/",
                           _blueprint_form_data(blueprint, weights))

    assert response.status_code == 200
    assert "must add up to 100; these add up to 110" in response.content.decode()
    assert weights_of("MM")["ethics"] == 10


@pytest.mark.django_db
def test_admin_saves_weights_adding_up_to_100(client, reviewer):
    client.force_login(reviewer)
    blueprint = ExamBlueprint.objects.get(level__code="MM")
    weights = {**weights_of("MM"), "ethics": 20, "coaching-skills": 0}

    response = client.post(f"/admin/exams/examblueprint/{blueprint.pk}/change/",
                           _blueprint_form_data(blueprint, weights))

    assert response.status_code == 302
    check_deferred_constraints_now()
    assert weights_of("MM") == weights


@pytest.mark.django_db
def test_curriculum_page_has_one_row_per_topic_and_one_column_per_level(client, django_assert_num_queries):
    with django_assert_num_queries(4):  # levels, topics, weights, the header's content menus
        response = client.get("/curriculum/")

    html = response.content.decode()
    assert response.status_code == 200
    levels = list(Level.objects.order_by("rank").values_list("code", flat=True))
    assert [row[0] for row in response.context["rows"]] == list(Topic.objects.all())
    assert [level.code for level in response.context["levels"]] == levels
    mentoring = next(weights for topic, weights in response.context["rows"] if topic.code == "mentoring-skills")
    assert mentoring == [35, 35, 25, 20]
    assert html.count("<tr>") == 1 + 8
    assert "Tools, methodologies &amp; technologies" in html


@pytest.mark.django_db
def test_curriculum_page_follows_the_data(client):
    blueprint = ExamBlueprint.objects.get(level__code="AM")
    blueprint_weights_set(blueprint=blueprint, weights={**weights_of("AM"), "coaching-skills": 20, "ethics": 20})

    response = client.get("/curriculum/")

    ethics = next(weights for topic, weights in response.context["rows"] if topic.code == "ethics")
    assert ethics == [20, 10, 10, 10]
