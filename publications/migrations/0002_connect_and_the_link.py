"""The association's two publications, as the source documents name them; issues are added by staff."""

from django.db import migrations

PUBLICATIONS = [
    ("connect", "Connect", 10, "News, ideas and practice from the mentoring community."),
    ("the-link", "The Link", 20, "Articles by experts on research and practice in mentoring and coaching."),
]


def seed(apps, schema_editor):
    Publication = apps.get_model("publications", "Publication")
    for slug, name, position, description in PUBLICATIONS:
        Publication.objects.get_or_create(slug=slug, defaults={
            "name": name, "name_en": name, "position": position,
            "description": description, "description_en": description,
        })


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
