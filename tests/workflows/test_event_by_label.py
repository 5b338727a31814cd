"""The "by" column of every workflow history in the admin is headed in the viewer's language."""

from django.contrib.admin.utils import label_for_field
from django.utils import translation

from workflows.models import ProposalEvent


def test_the_by_column_of_a_history_is_headed_in_chinese():
    with translation.override("zh-hans"):
        assert str(label_for_field("by", ProposalEvent)) == "操作人"
