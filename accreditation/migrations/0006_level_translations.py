"""The level names and training requirements per language (django-modeltranslation), and the Chinese of the
seeded rows in the terms the message catalogue already uses (专业导师, 高级导师)."""

from django.db import migrations, models

# code: (English name as seeded, Chinese name, English training as seeded, Chinese training)
LEVELS_ZH_HANS = {
    "AM": ("Associate Mentor", "助理导师", "32 h online training", "32 小时在线培训"),
    "PM": ("Professional Mentor", "专业导师", "Professional Mentor training", "专业导师培训"),
    "SM": ("Senior Mentor", "高级导师", "Senior Mentor training", "高级导师培训"),
    "MM": ("Master Mentor", "大师级导师", "Master Mentor training", "大师级导师培训"),
}


def fill_translations(apps, schema_editor):
    """English columns take today's values; Chinese ones are filled only where the English is still the seeded
    text, so a level the committee has reworded keeps falling back to its English until someone translates it.
    Also run by tests/conftest.py on the live models (there the English columns are already set)."""
    Level = apps.get_model("accreditation", "Level")
    for level in Level.objects.all():
        level.name_en, level.training_en = level.name_en or level.name, level.training_en or level.training
        name, name_zh, training, training_zh = LEVELS_ZH_HANS.get(level.code, (None, None, None, None))
        if level.name_en == name:
            level.name_zh_hans = name_zh
        if level.training_en == training:
            level.training_zh_hans = training_zh
        level.save(update_fields=["name_en", "name_zh_hans", "training_en", "training_zh_hans"])


class Migration(migrations.Migration):

    dependencies = [
        ('accreditation', '0005_events_on_workflows'),
    ]

    operations = [
        migrations.AddField(
            model_name='level',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='level',
            name='name_zh_hans',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='level',
            name='training_en',
            field=models.CharField(max_length=200, null=True, verbose_name='training requirement'),
        ),
        migrations.AddField(
            model_name='level',
            name='training_zh_hans',
            field=models.CharField(max_length=200, null=True, verbose_name='training requirement'),
        ),
        migrations.RunPython(fill_translations, migrations.RunPython.noop),
    ]
