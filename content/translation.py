"""Fields kept per language (English and Simplified Chinese), through django-modeltranslation."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from content.models import Expert, FaqEntry, FaqGroup, LeadershipTerm, Page


@register(Expert)
class ExpertTranslation(TranslationOptions):
    fields = ("affiliation", "bio")


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


@register(FaqGroup)
class FaqGroupTranslation(TranslationOptions):
    fields = ("title",)


@register(FaqEntry)
class FaqEntryTranslation(TranslationOptions):
    fields = ("question", "answer")


@register(LeadershipTerm)
class LeadershipTermTranslation(TranslationOptions):
    fields = ("affiliation",)


# Edit history (who and when) is registered after the translated fields exist, so that the history rows keep
# every language's version; declaring HistoricalRecords on the models would miss them.
simple_history.register(Page, excluded_fields=["updated_at"])
simple_history.register(FaqGroup)
simple_history.register(FaqEntry)
simple_history.register(LeadershipTerm)
