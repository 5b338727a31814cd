"""Fields kept per language (English and Simplified Chinese), through django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from events.models import Event, ProgrammeItem, Series


@register(Series)
class SeriesTranslation(TranslationOptions):
    fields = ("title", "summary", "description")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "venue")


@register(ProgrammeItem)
class ProgrammeItemTranslation(TranslationOptions):
    fields = ("title", "description", "room", "track")
