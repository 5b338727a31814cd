"""Fields kept per language (English and Simplified Chinese), through django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from applicants.models import EthicsCode


@register(EthicsCode)
class EthicsCodeTranslation(TranslationOptions):
    """A version is one code in both languages: people adopt the version, whichever language they read it in."""

    fields = ("title", "text")
    # A version published from the admin in Chinese has no English text yet; English readers then read the
    # Chinese rather than an empty code. The English title equal to the field's default is a real title, not
    # an unset one (modeltranslation's default test), so it is never replaced by the Chinese one.
    fallback_languages = {"default": ("en", "zh-hans")}
    fallback_undefined = {"title": "", "text": ""}
