"""The landing page: my tasks, my reminders, this year's hazard and coverage figures."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safecommunity.mixins import require_roles
from safecommunity.periods import Period
from safecommunity.permissions import READ_LEDGERS, WORK_IN_FIELD
from safecommunity.services import townships_for_user

from .. import selectors, services
from ..models import Notification


def index(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_roles(request.user, READ_LEDGERS)
    today = timezone.localdate()
    townships = townships_for_user(request.user)
    period = Period.year_to_date(today.year, today.month)
    return render(
        request,
        "inspections/index.html",
        {
            "tasks": selectors.due_inspections(user=request.user, today=today, limit=20),
            "stats": selectors.hazard_statistics(townships=townships, period=period, today=today),
            "coverage": selectors.inspection_coverage(
                townships=townships, period=Period.month(today.year, today.month), today=today
            ),
            "notifications": Notification.objects.for_user(request.user).unread().select_related("hazard")[:20],
            "period": period,
            "today": today,
            "can_record": request.user.role in WORK_IN_FIELD,
        },
    )


@require_POST
def notifications_read(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    services.notification_mark_read(user=request.user, notification_ids=ids)
    return redirect("inspections:index")
