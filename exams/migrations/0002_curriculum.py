"""The eight exam topics and their weight per level, as the accrediting body publishes them
(DESIGN.md, "Facts from the source documents"); each level's column adds up to 100."""

from django.db import migrations

LEVEL_CODES = ("AM", "PM", "SM", "MM")

TOPICS = [
    # code, name, weights for AM / PM / SM / MM (%)
    ("coaching-skills", "Coaching skills", (30, 30, 20, 10)),
    ("mentoring-skills", "Mentoring skills", (35, 35, 25, 20)),
    ("supervision-skills", "Supervision skills", (5, 5, 10, 10)),
    ("knowledge-management", "Knowledge management", (5, 5, 5, 5)),
    ("tacit-knowledge-management", "Tacit knowledge management", (5, 5, 10, 15)),
    ("business-skills", "Business skills in mentoring", (5, 5, 10, 15)),
    ("tools-methodologies", "Tools, methodologies & technologies", (5, 5, 10, 15)),
    ("ethics", "Code of ethics & conducts", (10, 10, 10, 10)),
]


def add_curriculum(apps, schema_editor):
    Level = apps.get_model("accreditation", "Level")
    Topic = apps.get_model("exams", "Topic")
    ExamBlueprint = apps.get_model("exams", "ExamBlueprint")
    TopicWeight = apps.get_model("exams", "TopicWeight")
    topics = {}
    for position, (code, name, _weights) in enumerate(TOPICS, start=1):
        topics[code], _created = Topic.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )
    for index, level_code in enumerate(LEVEL_CODES):
        blueprint, _created = ExamBlueprint.objects.get_or_create(level=Level.objects.get(code=level_code))
        for code, _name, weights in TOPICS:
            TopicWeight.objects.update_or_create(
                blueprint=blueprint, topic=topics[code], defaults={"weight": weights[index]}
            )


def remove_curriculum(apps, schema_editor):
    apps.get_model("exams", "TopicWeight").objects.all().delete()
    apps.get_model("exams", "ExamBlueprint").objects.all().delete()
    apps.get_model("exams", "Topic").objects.filter(code__in=[row[0] for row in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial"), ("accreditation", "0002_levels")]
    operations = [migrations.RunPython(add_curriculum, remove_curriculum)]
