"""The date drill-down of a :class:`workflows.admin.LargeChangeList`, from the facts its one query gathered."""

import datetime

from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template import Library
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

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


def _class_attribute(classes: list[str]) -> str:
    return mark_safe(' class="{}"'.format(" ".join(classes)))


class _Column:
    """What Django's ``items_for_result`` works out again for every cell, worked out once per column."""

    def __init__(self, cl, index: int, name, is_link: bool, is_first_link: bool):
        self.name, self.is_link, self.model_admin = name, is_link, cl.model_admin
        self.tag = "th" if is_first_link else "td"
        self.default_empty = self.empty = cl.model_admin.get_empty_value_display()
        self.field = self.attr = None
        self.boolean = False
        self.classes = [f"field-{admin_list._coerce_field_name(name, index)}"]
        self.default_class = _class_attribute(self.classes)
        try:
            self.field = admin_utils._get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, admin_utils.FieldIsAForeignKeyColumnName):
            if callable(name):
                self.kind, self.attr = "callable", name
            elif hasattr(cl.model_admin, name) and name != "__str__":
                self.kind, self.attr = "callable", getattr(cl.model_admin, name)
            else:
                self.kind = "attribute"  # a model attribute or property: Django's own look-up, cell by cell
            if self.attr is not None:
                self.empty = getattr(self.attr, "empty_value_display", self.empty)
                self.boolean = getattr(self.attr, "boolean", False)
            if name == "action_checkbox":
                self.classes = ["action-checkbox"]
        else:
            self.kind = "field"
            self.relation = isinstance(self.field.remote_field, models.ManyToOneRel)
            if isinstance(self.field, (models.DateField, models.TimeField, models.ForeignKey)):
                self.classes.append("nowrap")
        self.row_class = _class_attribute(self.classes)

    def display(self, result):
        """The cell's content and its class attribute, as ``items_for_result`` makes them."""
        empty, boolean = self.empty, self.boolean
        try:
            if self.kind == "callable":
                value = self.attr(result)
            elif self.kind == "field":
                value = getattr(result, self.name)
            else:
                _field, attr, value = admin_utils.lookup_field(self.name, result, self.model_admin)
                empty = getattr(attr, "empty_value_display", empty)
                boolean = getattr(attr.fget if isinstance(attr, property) else attr, "boolean", False)
        except ObjectDoesNotExist:
            return self.default_empty, self.default_class
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if self.kind != "field" or self.field.auto_created:
            shown = admin_utils.display_for_value(value, empty, boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                return shown, _class_attribute([*self.classes, "nowrap"])
            return shown, self.row_class
        if self.relation:
            related = getattr(result, self.field.name)
            return (empty if related is None else related), self.row_class
        return admin_utils.display_for_field(value, self.field, empty, avoid_link=self.is_link), self.row_class


def _columns(cl) -> list[_Column]:
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            is_link = False
        else:
            is_link = (first and not cl.list_display_links) or name in cl.list_display_links
        columns.append(_Column(cl, index, name, is_link, is_link and first))
        first = first and not is_link
    return columns


def _row(cl, columns: list[_Column], result) -> str:
    cells = []
    for column in columns:
        shown, row_class = column.display(result)
        if column.is_link:
            try:
                url = cl.url_for_result(result)
            except NoReverseMatch:
                content = conditional_escape(shown)
            else:
                url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
                popup = ""
                if cl.is_popup:
                    value = result.serializable_value(str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname)
                    popup = format_html(' data-popup-opener="{}"', value)
                content = format_html('<a href="{}"{}>{}</a>', url, popup, shown)
            cells.append(f"<{column.tag}{row_class}>{content}</{column.tag}>")
        else:
            cells.append(f"<td{row_class}>{conditional_escape(shown)}</td>")
    return mark_safe("".join(cells))


def result_list(cl):
    """Django's ``result_list``, each row written as one piece from columns worked out once per page.

    Django's ``items_for_result`` looks up each column's field, empty value, classes and link again for every
    cell (about 0.1 ms a cell, 500 cells a page), and the template then renders each cell on its own. The
    markup is the same; a list that edits rows in place (``list_editable``) keeps Django's own.
    """
    if cl.formset:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    columns = _columns(cl)
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": [admin_list.ResultList(None, [_row(cl, columns, result)]) for result in cl.result_list],
    }


@register.tag(name="large_result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(parser, token, func=result_list, template_name="change_list_results.html",
                              takes_context=False)
