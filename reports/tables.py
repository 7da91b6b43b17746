import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Briefing


class BriefingTable(tables.Table):
    issue = tables.Column(verbose_name=_("期号"), accessor="number_total", linkify=True, order_by=("-year", "-month"))
    township = tables.Column(verbose_name=_("所属单位"), accessor="township__name")
    month = tables.TemplateColumn(
        "{{ record.year }}-{{ record.month|stringformat:'02d' }}", verbose_name=_("月份"), order_by=("year", "month")
    )

    class Meta:
        model = Briefing
        fields = ["issue", "kind", "township", "month", "version", "status", "render_status", "issued_on"]
        sequence = ["issue", "kind", "township", "month", "version", "status", "render_status", "issued_on"]

    def render_issue(self, record):
        return record.issue_label
