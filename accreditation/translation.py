"""Fields kept per language (English and Simplified Chinese), through django-modeltranslation.

The levels are the body's reference data: their names and training requirements are printed on every
applicant's page, so a Chinese page shows them in Chinese (migration 0006 fills the seeded rows).
"""

from modeltranslation.translator import TranslationOptions, register

from accreditation.models import Level


@register(Level)
class LevelTranslation(TranslationOptions):
    fields = ("name", "training")
