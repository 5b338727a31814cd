"""The four levels as the accrediting body publishes them (DESIGN.md, "Facts from the source documents")."""

from django.db import migrations

LEVELS = [
    # code, name, rank, service hours, years, minimum education, prerequisite, training, training hours, MM statement
    ("AM", "Associate Mentor", 1, 40, 0, "", None, "32 h online training", 32, False),
    ("PM", "Professional Mentor", 2, 100, 1, "bachelor", None, "Professional Mentor training", None, False),
    ("SM", "Senior Mentor", 3, 300, 3, "", "PM", "Senior Mentor training", None, False),
    ("MM", "Master Mentor", 4, 500, 5, "", "SM", "Master Mentor training", None, True),
]


def add_levels(apps, schema_editor):
    Level = apps.get_model("accreditation", "Level")
    for code, name, rank, hours, years, education, prerequisite, training, training_hours, statement in LEVELS:
        Level.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "rank": rank, "service_hours": hours, "years_mentoring": years,
                "minimum_education": education,
                "prerequisite": Level.objects.get(code=prerequisite) if prerequisite else None,
                "training": training, "training_hours": training_hours,
                "requires_contribution_statement": statement, "certificate_validity_years": 5,
            },
        )


def remove_levels(apps, schema_editor):
    apps.get_model("accreditation", "Level").objects.filter(code__in=[row[0] for row in LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accreditation", "0001_initial")]
    operations = [migrations.RunPython(add_levels, remove_levels)]
