from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safecommunity.exceptions import ApplicationError
from safecommunity.generic import FilteredListView, ObjectDetailView, refusal_message, scoped_action
from safecommunity.mixins import require_roles
from safecommunity.periods import Period
from safecommunity.permissions import EDIT_TOWNSHIP, READ_COMMITTEE_WORK, SUPERVISE

from . import selectors, services
from .choices import CloseStatus, CorrectionStatus, PackageStatus
from .filters import MonthCloseFilter
from .models import Correction, MonthClose, MonthPackage
from .tables import MonthCloseTable


def _previous_month(today):
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class MonthCloseListView(FilteredListView):
    model = MonthClose
    allowed_roles = READ_COMMITTEE_WORK
    table_class = MonthCloseTable
    filterset_class = MonthCloseFilter
    template_name = "closing/month_list.html"
    title = gettext_lazy("月度审核")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("township", "submitted_by")
            .annotate(pending=Count("corrections", filter=Q(corrections__status=CorrectionStatus.PENDING)))
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_submit"] = user.role in EDIT_TOWNSHIP and user.is_township_level
        ctx["pending_corrections"] = (
            Correction.objects.for_user(user).filter(status=CorrectionStatus.PENDING).select_related("township")[:50]
        )
        y, m = _previous_month(timezone.localdate())
        ctx["default_month"] = f"{y}-{m:02d}"
        if user.is_county_level:  # a county builds its own package or one township's
            from safecommunity.models import Area

            ctx["package_townships"] = Area.objects.for_user(user).townships().order_by("code")
        return ctx


def _month_param(request):
    value = request.POST.get("month") or request.GET.get("month")
    if not value:
        return _previous_month(timezone.localdate())
    try:
        p = Period.parse_month(value)
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    return p.start.year, p.start.month


@login_required
def month_submit(request):
    """GET: the month's figures and the checklist of what is missing (warnings); POST: submit."""
    require_roles(request.user, EDIT_TOWNSHIP)
    if not request.user.is_township_level:
        raise PermissionDenied
    township = request.user.township
    year, month = _month_param(request)
    if request.method == "POST":
        try:
            close = services.month_submit(township=township, year=year, month=month, user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已报送县级审核"))
            return redirect(close)
    existing = MonthClose.objects.filter(township=township, year=year, month=month).first()
    return render(
        request,
        "closing/month_submit.html",
        {
            "township": township,
            "year": year,
            "month": month,
            "month_value": f"{year}-{month:02d}",
            "figures": _labelled(selectors.month_figures(township=township, year=year, month=month)),
            "checklist": selectors.month_checklist(township=township, year=year, month=month),
            "existing": existing,
        },
    )


def _labelled(figures: dict) -> list[tuple]:
    return [(selectors.FIGURE_LABELS[k], v) for k, v in figures.items() if k in selectors.FIGURE_LABELS]


class MonthCloseDetailView(ObjectDetailView):
    model = MonthClose
    allowed_roles = READ_COMMITTEE_WORK
    template_name = "closing/month_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "submitted_by", "decided_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        close = self.object
        frozen = close.snapshot.get("figures", {})
        live = selectors.month_figures(township=close.township, year=close.year, month=close.month)
        diff = {d["key"] for d in selectors.differences(frozen, live)}
        ctx["rows"] = [
            (selectors.FIGURE_LABELS[k], frozen.get(k), live.get(k), k in diff) for k in selectors.FIGURE_LABELS
        ]
        ctx["matches"] = not diff
        ctx["events"] = close.events.select_related("actor")
        ctx["corrections"] = close.corrections.select_related("requested_by", "decided_by")
        user = self.request.user
        ctx["can_decide"] = user.role in SUPERVISE and close.status == CloseStatus.SUBMITTED
        ctx["can_resubmit"] = (
            user.role in EDIT_TOWNSHIP and user.is_township_level and close.status == CloseStatus.RETURNED
        )
        ctx["month_value"] = f"{close.year}-{close.month:02d}"
        return ctx


@scoped_action(MonthClose, SUPERVISE, select_related=("township",))
def month_approve(request, close):
    services.month_approve(close=close, user=request.user, reason=request.POST.get("reason", ""))
    return _("已审核通过，该月数据已锁定")


@scoped_action(MonthClose, SUPERVISE, select_related=("township",))
def month_return(request, close):
    services.month_return(close=close, user=request.user, reason=request.POST.get("reason", ""))
    return _("已退回乡镇")


class CorrectionDetailView(ObjectDetailView):
    model = Correction
    allowed_roles = READ_COMMITTEE_WORK
    template_name = "closing/correction_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("close", "township", "requested_by", "decided_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_decide"] = self.request.user.role in SUPERVISE and self.object.status == CorrectionStatus.PENDING
        return ctx


@scoped_action(Correction, SUPERVISE, select_related=("close__township",))
def correction_approve(request, correction):
    services.correction_approve(correction=correction, user=request.user, reason=request.POST.get("reason", ""))
    return _("更正已批准并生效，已审核数据随之更新")


@scoped_action(Correction, SUPERVISE, select_related=("close__township",))
def correction_reject(request, correction):
    services.correction_reject(correction=correction, user=request.user, reason=request.POST.get("reason", ""))
    return _("已驳回更正申请")


# --- The month-end package ----------------------------------------------------------------------


@login_required
@require_POST
def package_request(request):
    require_roles(request.user, READ_COMMITTEE_WORK)
    year, month = _month_param(request)
    area = request.POST.get("area")
    try:
        area_id = int(area) if area else None
    except ValueError as exc:
        raise Http404 from exc
    try:
        services.package_request(user=request.user, year=year, month=month, area_id=area_id)
        messages.success(request, _("月末资料包已加入下载中心，生成后即可下载"))
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
    return redirect("reports:download_list")


@login_required
@require_POST
def package_retry(request, pk):
    require_roles(request.user, READ_COMMITTEE_WORK)
    package = get_object_or_404(MonthPackage.objects.for_user(request.user), pk=pk)
    services.package_retry(package=package, user=request.user)
    return redirect("reports:download_list")


@login_required
def package_file(request, pk, fmt):
    """The package leaves only through here: the user's own, still in scope, ready."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    package = get_object_or_404(MonthPackage.objects.for_user(request.user), pk=pk, status=PackageStatus.READY)
    stored = package.zip_file if fmt == "zip" else package.pdf_file
    if not stored or not default_storage.exists(stored.name):
        raise Http404
    name = f"{package.area.code}-{package.year}-{package.month:02d}-month-end.{fmt}"
    return FileResponse(default_storage.open(stored.name, "rb"), as_attachment=True, filename=name)
