"""The curriculum topic names per language (django-modeltranslation), and the Chinese of the seeded topics."""

from django.db import migrations, models

# code: (English name as seeded, Chinese name)
TOPICS_ZH_HANS = {
    "coaching-skills": ("Coaching skills", "教练技能"),
    "mentoring-skills": ("Mentoring skills", "导师辅导技能"),
    "supervision-skills": ("Supervision skills", "督导技能"),
    "knowledge-management": ("Knowledge management", "知识管理"),
    "tacit-knowledge-management": ("Tacit knowledge management", "隐性知识管理"),
    "business-skills": ("Business skills in mentoring", "导师辅导中的商业技能"),
    "tools-methodologies": ("Tools, methodologies & technologies", "工具、方法与技术"),
    "ethics": ("Code of ethics & conducts", "道德与行为准则"),
}


def fill_translations(apps, schema_editor):
    """English columns take today's names; Chinese ones only where the English is still the seeded name.
    Also run by tests/conftest.py on the live models (there the English columns are already set)."""
    Topic = apps.get_model("exams", "Topic")
    for topic in Topic.objects.all():
        topic.name_en = topic.name_en or topic.name
        name, name_zh = TOPICS_ZH_HANS.get(topic.code, (None, None))
        if topic.name_en == name:
            topic.name_zh_hans = name_zh
        topic.save(update_fields=["name_en", "name_zh_hans"])


class Migration(migrations.Migration):

    dependencies = [
        ('exams', '0004_beat_entries_moved'),
    ]

    operations = [
        migrations.AddField(
            model_name='topic',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='topic',
            name='name_zh_hans',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.RunPython(fill_translations, migrations.RunPython.noop),
    ]
