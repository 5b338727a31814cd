"""Fields kept per language (English and Simplified Chinese), through django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from content.models import Expert


@register(Expert)
class ExpertTranslation(TranslationOptions):
    fields = ("affiliation", "bio")
