"""Pages of the analysis app: injury signals and what the committee does with them, the county's
analysis settings, assessment readiness and injuries × hazards by place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safecommunity.exceptions import ApplicationError
from safecommunity.generic import add_service_errors, scoped_action
from safecommunity.mixins import require_roles
from safecommunity.models import Area
from safecommunity.periods import Period
from safecommunity.permissions import EDIT_TOWNSHIP, READ_COMMITTEE_WORK, READ_SCORECARDS, RUN_COUNTY_OFFICE

from . import readiness as readiness_selectors
from . import selectors, services, suppression
from .choices import SignalStatus
from .forms import AnalysisSettingsForm, SignalActForm, SignalDismissForm
from .models import InjurySignal
from .places import place_overview


def _signals(user):
    return InjurySignal.objects.for_user(user).select_related("township")


@login_required
def signal_list(request):
    require_roles(request.user, READ_COMMITTEE_WORK)
    shown = suppression.for_user(request.user)
    rows = list(_signals(request.user).order_by("status", "-window_end", "p_value", "id")[:200])
    for s in rows:
        s.shown_observed = shown.count(s.observed)
    return render(
        request,
        "analysis/signal_list.html",
        {
            "signals": rows,
            "can_scan": request.user.role in EDIT_TOWNSHIP,
            "window": selectors.signal_window(timezone.localdate()),
            "suppression_note": shown.note,
        },
    )


@login_required
@require_POST
def signal_scan(request):
    require_roles(request.user, EDIT_TOWNSHIP)
    created = services.signals_scan(township=request.user.area)
    if created:
        messages.warning(request, _("新发现%(n)d个伤害预警") % {"n": len(created)})
    else:
        messages.success(request, _("检测完成，未发现新的显著上升"))
    return redirect("analysis:signal_list")


@login_required
def signal_detail(request, pk):
    require_roles(request.user, READ_COMMITTEE_WORK)
    signal = get_object_or_404(
        _signals(request.user).select_related("meeting", "action_item", "project", "intervention"), pk=pk
    )
    shown = suppression.for_user(request.user)
    can_act = request.user.role in EDIT_TOWNSHIP and signal.status == SignalStatus.OPEN
    form = None
    if can_act:
        form = SignalActForm(request.POST or None, signal=signal)
        if request.method == "POST" and form.is_valid():
            try:
                services.signal_act(signal=signal, user=request.user, **form.cleaned_data)
            except (ApplicationError, ValidationError) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已列入会议议程，并建立督办事项和干预措施"))
                return redirect(signal)
    elif request.method == "POST":
        require_roles(request.user, EDIT_TOWNSHIP)
        messages.error(request, _("该预警已处理"))
        return redirect(signal)
    return render(
        request,
        "analysis/signal_detail.html",
        {
            "signal": signal,
            "observed": shown.count(signal.observed),
            "baseline_total": shown.count(signal.baseline_total),
            "hidden": shown.active and (suppression.is_hidden(shown.count(signal.observed))),
            "form": form,
            "dismiss_form": SignalDismissForm() if can_act else None,
            "suppression_note": shown.note,
        },
    )


@scoped_action(InjurySignal, EDIT_TOWNSHIP)
def signal_dismiss(request, signal):
    form = SignalDismissForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("请说明排除理由"))
    services.signal_dismiss(signal=signal, user=request.user, note=form.cleaned_data["note"])
    return gettext_lazy("已排除该预警")


@login_required
def settings_edit(request):
    """The county's thresholds: small-cell suppression, the signal test, the inspection rule."""
    require_roles(request.user, RUN_COUNTY_OFFICE)
    county = get_object_or_404(Area.objects.for_user(request.user).counties(), pk=request.user.area_id)
    row = selectors.settings_of(county)
    form = AnalysisSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.SETTINGS_FIELDS}
        try:
            services.analysis_settings_save(county=county, **data)
        except (ApplicationError, ValidationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("analysis:settings")
    return render(request, "analysis/settings.html", {"form": form, "county": county})


def _township_choice(request):
    """The township a page is about: the user's own, or (county) ``?township=`` of the county."""
    user = request.user
    if user.is_township_level:
        return user.area, []
    townships = list(Area.objects.for_user(user).townships().order_by("code"))
    chosen = request.GET.get("township", "")
    return next((t for t in townships if str(t.pk) == chosen), townships[0] if townships else None), townships


@login_required
def readiness(request):
    """Assessment readiness of a township from live evidence, per AQ/T 9001 element."""
    require_roles(request.user, READ_SCORECARDS)
    township, townships = _township_choice(request)
    if township is None:
        raise Http404
    today = timezone.localdate()
    year = today.year
    raw = request.GET.get("year", "")
    if raw.isdigit() and today.year - 10 <= int(raw) <= today.year:
        year = int(raw)
    period = Period.year(year)
    rows = readiness_selectors.element_readiness(township=township, period=period, today=today)
    return render(
        request,
        "analysis/readiness.html",
        {
            "township": township,
            "townships": townships,
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "rows": rows,
            "ready": sum(1 for r in rows if r["ready"]),
            "projects": readiness_selectors.addressing_projects(township=township),
        },
    )


@login_required
def places(request):
    """Injuries and incidents (lagging) beside open hazards and inspections (leading), per grid and
    per entity, with the suggested targeted inspections and the county rule's intervals."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    township, townships = _township_choice(request)
    if township is None:
        raise Http404
    data = place_overview(township=township, today=timezone.localdate())
    shown = suppression.for_user(request.user)
    if shown.active:  # injuries per grid and casualties per entity are counts of people
        for rows, keys in ((data["grids"], ("n_injuries", "recent")), (data["entities"], ("hurt", "recent"))):
            for row in rows:
                for k in keys:
                    row[k] = shown.count(row[k])
        for f in data["map_features"]:
            f["label"] = ""
    return render(
        request,
        "analysis/places.html",
        {
            "township": township,
            "townships": townships,
            "rule": selectors.settings_of(township.parent_id),
            **data,
            "suppression_note": shown.note,
        },
    )
