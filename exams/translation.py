"""Fields kept per language (English and Simplified Chinese), through django-modeltranslation.

The curriculum topics are the body's reference data (migration 0005 fills the seeded rows in Chinese).
"""

from modeltranslation.translator import TranslationOptions, register

from exams.models import Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)
