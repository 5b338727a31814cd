"""The committee's figures, each one SQL aggregate query returning a ``Table``, in the page's sections."""

from django.utils.translation import gettext_lazy as _

from insights.figures import applications, certificates, exams, money, partners
from insights.figures.base import Chart, Filters, Table

SECTIONS = [
    ("applications", _("Applications"), applications.FIGURES),
    ("exams", _("Exams"), exams.FIGURES),
    ("certificates", _("Certificates"), certificates.FIGURES),
    ("money", _("Money"), money.FIGURES),
    ("partners", _("Partners and organizations"), partners.FIGURES),
]

FIGURES = {figure.__name__: figure for _key, _title, figures in SECTIONS for figure in figures}


def figure_table(key: str, filters: Filters) -> Table:
    """One figure's table by its key (KeyError for an unknown key)."""
    return FIGURES[key](filters)


def sections(filters: Filters) -> list[tuple[str, str, list[Table]]]:
    return [(key, title, [figure(filters) for figure in figures]) for key, title, figures in SECTIONS]


__all__ = ["FIGURES", "SECTIONS", "Chart", "Filters", "Table", "figure_table", "sections"]
