"""The date drill-down of a :class:`workflows.admin.LargeChangeList`, from the facts its one query gathered."""

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library

register = Library()


class _KnownDates:
    """What Django's ``date_hierarchy`` asks of the listed rows, answered from the list's ``date_facts``:
    the first and last dates, and the distinct years, months or days (from the distinct days)."""

    def __init__(self, facts: dict):
        self.facts = facts

    def aggregate(self, **aggregates):
        assert set(aggregates) == {"first", "last"}, aggregates
        return {"first": self.facts["first"], "last": self.facts["last"]}

    def _periods(self, field_name: str, kind: str):
        if kind == "day":
            return self.facts["days"]
        start = {"year": {"month": 1, "day": 1}, "month": {"day": 1}}[kind]
        return sorted({day.replace(**start) for day in self.facts["days"]})

    dates = datetimes = _periods


class _ChangeListWithKnownDates:
    def __init__(self, changelist):
        self._changelist = changelist
        self.queryset = _KnownDates(changelist.date_facts)

    def __getattr__(self, name):
        return getattr(self._changelist, name)


def date_hierarchy(cl):
    if getattr(cl, "date_facts", None) is None:
        return admin_list.date_hierarchy(cl)
    return admin_list.date_hierarchy(_ChangeListWithKnownDates(cl))


@register.tag(name="large_date_hierarchy")
def date_hierarchy_tag(parser, token):
    return InclusionAdminNode(parser, token, func=date_hierarchy, template_name="date_hierarchy.html",
                              takes_context=False)
