import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import MonthClose


class MonthCloseTable(tables.Table):
    month = tables.TemplateColumn(
        "<a href=\"{{ record.get_absolute_url }}\">{{ record.year }}-{{ record.month|stringformat:'02d' }}</a>",
        verbose_name=_("月份"),
        order_by=("year", "month"),
    )
    township = tables.Column(verbose_name=_("乡镇/街道"), accessor="township__name")
    submitted_by = tables.Column(verbose_name=_("报送人"), accessor="submitted_by", default="—")
    pending = tables.Column(verbose_name=_("待审更正"), orderable=False)

    class Meta:
        model = MonthClose
        fields = ["month", "township", "status", "submitted_at", "submitted_by", "decided_at", "pending"]
        sequence = ["month", "township", "status", "submitted_at", "submitted_by", "decided_at", "pending"]
