import django_filters
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet

from .choices import DeliveryStatus, JobStatus, Kind
from .models import Delivery, JobRun, Notification


class NotificationFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Kind.choices)
    unread = django_filters.BooleanFilter(label=_("仅未读"), field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class JobRunFilter(ScopedFilterSet):
    task = django_filters.CharFilter(label=_("任务"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=JobStatus.choices)

    class Meta:
        model = JobRun
        fields = ["task", "status"]


class DeliveryFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DeliveryStatus.choices)

    class Meta:
        model = Delivery
        fields = ["status"]
