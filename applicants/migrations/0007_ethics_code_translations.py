"""The Code of Ethics and Conduct per language (django-modeltranslation): each version's title and text as they are
today become its English ones, and the version the portal was first published with gets its Simplified Chinese.

Adoption stays per version: the Chinese is the same version read in another language, so nobody adopts again.
"""

from django.db import migrations, models
from django.db.models import F

TITLE_EN = "Code of Ethics and Conduct"
TITLE_ZH_HANS = "道德与行为准则"

# The text of version 1 as published (applicants.demo.ETHICS_TEXT), and its translation in the terms the message
# catalogue uses (学员 for mentee). A version whose English differs is left without Chinese: it falls back to English.
TEXT_EN = """1. Put the mentee's growth first: mentor for their goals, not your own.
2. Keep confidences, except where the law or someone's safety requires otherwise.
3. Work within your competence, and refer the mentee on when a need is beyond it.
4. Declare any conflict of interest and do not exploit the relationship.
5. Respect every mentee's culture, identity and right to decide for themselves.
6. Keep honest records of your mentoring service and your training.
7. Keep learning: maintain your accreditation through continuing development."""

TEXT_ZH_HANS = """1. 以学员的成长为先：为学员的目标而辅导，而不是为了自己的目标。
2. 为学员保密，但法律另有规定或涉及他人安全的情况除外。
3. 在自身能力范围内开展辅导；学员的需求超出这一范围时，应将其转介给合适的人士。
4. 申报任何利益冲突，不得利用辅导关系谋取私利。
5. 尊重每一位学员的文化、身份及其自主决定的权利。
6. 如实记录自己的导师服务和所受培训。
7. 坚持学习：通过持续发展保持自己的认证资格。"""


def english_copy(apps, schema_editor):
    EthicsCode = apps.get_model("applicants", "EthicsCode")
    EthicsCode.objects.update(title_en=F("title"), text_en=F("text"))


def translate(apps, schema_editor):
    """Chinese where a version's English is still the published wording and it has no Chinese yet. Also run by the
    demo seed (applicants.demo).

    The Chinese title column starts with the field's English default. A version the committee gave a title of its
    own has it emptied instead, so that Chinese readers fall back to that title rather than read the default.
    """
    EthicsCode = apps.get_model("applicants", "EthicsCode")
    for code in EthicsCode.objects.all():
        changed = []
        title_zh_hans = TITLE_ZH_HANS if code.title_en == TITLE_EN else None
        if code.title_zh_hans in (None, "", TITLE_EN) and code.title_zh_hans != title_zh_hans:
            code.title_zh_hans = title_zh_hans
            changed.append("title_zh_hans")
        if (code.text_en or "").strip() == TEXT_EN and not code.text_zh_hans:
            code.text_zh_hans = TEXT_ZH_HANS
            changed.append("text_zh_hans")
        if changed:
            code.save(update_fields=changed)


class Migration(migrations.Migration):

    dependencies = [
        ('applicants', '0006_user_profile_search_vectors'),
    ]

    operations = [
        migrations.AddField(
            model_name='ethicscode',
            name='text_en',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='ethicscode',
            name='text_zh_hans',
            field=models.TextField(null=True, verbose_name='text'),
        ),
        migrations.AddField(
            model_name='ethicscode',
            name='title_en',
            field=models.CharField(default='Code of Ethics and Conduct', max_length=200, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='ethicscode',
            name='title_zh_hans',
            field=models.CharField(default='Code of Ethics and Conduct', max_length=200, null=True, verbose_name='title'),
        ),
        migrations.RunPython(english_copy, migrations.RunPython.noop),
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
