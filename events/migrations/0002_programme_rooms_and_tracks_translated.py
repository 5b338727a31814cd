"""A programme session's room and track per language (django-modeltranslation): what they are today becomes their
English; the Chinese is left empty, so that Chinese readers see the English until an editor gives it."""

from django.db import migrations, models
from django.db.models import F


def english_copy(apps, schema_editor):
    apps.get_model("events", "ProgrammeItem").objects.update(room_en=F("room"), track_en=F("track"))



class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='programmeitem',
            name='room_en',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='programmeitem',
            name='room_zh_hans',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='programmeitem',
            name='track_en',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='track'),
        ),
        migrations.AddField(
            model_name='programmeitem',
            name='track_zh_hans',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='track'),
        ),
        migrations.RunPython(english_copy, migrations.RunPython.noop),
    ]
