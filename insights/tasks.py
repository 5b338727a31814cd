"""Celery entry points of the insights; each is idempotent and takes no instances."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from insights.figures import figures_warm
from insights.forms import InsightsFilterForm


@shared_task
def figures_warm_defaults() -> int:
    """The committee page's figures for its default filters, in every language, in the portal's time zone."""
    kept = 0
    with timezone.override(settings.TIME_ZONE):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                kept += figures_warm(filters=InsightsFilterForm(None).filters())
    return kept
