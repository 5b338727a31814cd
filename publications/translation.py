"""Fields kept per language (English and Simplified Chinese), through django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from publications.models import Article, Issue, Mailing, Publication, Research


@register(Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Issue)
class IssueTranslation(TranslationOptions):
    fields = ("title", "cover_text")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "abstract", "body")


@register(Research)
class ResearchTranslation(TranslationOptions):
    fields = ("summary",)


@register(Mailing)
class MailingTranslation(TranslationOptions):
    fields = ("subject", "body")
