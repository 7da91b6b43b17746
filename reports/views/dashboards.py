from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safecommunity.mixins import require_roles
from safecommunity.models import Area
from safecommunity.permissions import READ_COMMITTEE_WORK

from .. import selectors

# Where each tile leads: (url name, fallback url name). Query strings are added by the template.
LIST_URLS = {
    "incidents": ("incidents:incident_list", "incidents:index"),
    "injuries": ("incidents:injury_list", "incidents:index"),
    "statistics": ("incidents:statistics", "incidents:index"),
    "hazards": ("inspections:hazard_list", "inspections:index"),
    "inspections": ("inspections:inspection_list", "inspections:index"),
    "grids": ("inspections:grid_list", "inspections:index"),
    "projects": ("projects:project_list", "projects:index"),
    "actions": ("committees:action_list", "committees:index"),
    "meetings": ("committees:meeting_list", "committees:index"),
    "activities": ("committees:activity_list", "committees:index"),
    "villages": ("area_list", "home"),
}


def list_urls() -> dict:
    urls = {}
    for key, (name, fallback) in LIST_URLS.items():
        try:
            urls[key] = reverse(name)
        except NoReverseMatch:
            urls[key] = reverse(fallback)
    return urls


@login_required
def index(request):
    """The landing page of 简报与考核: the dashboard of the user's scope."""
    if request.user.role in READ_COMMITTEE_WORK and request.user.area_id:
        return redirect("reports:dashboard")
    return redirect("reports:download_list")  # a grid inspector: their notices


def _charts(data) -> dict:
    trend = data["trend"]
    return {
        "months": [f"{m}月" for m in trend["months"]],
        "current": trend["incidents"]["current"], "previous": trend["incidents"]["previous"],
        "injuries_current": trend["injuries"]["current"], "injuries_previous": trend["injuries"]["previous"],
        "cause": [[r[1], r[2]] for r in data["breakdowns"]["cause"]],
        "place": [[r[1], r[2]] for r in data["breakdowns"]["place"]],
        "age": [[r[1], r[2]] for r in data["breakdowns"]["age_band"]],
    }


def _render_dashboard(request, *, townships, township, county):
    """The figures come from the dashboard selectors, which cache them exactly per data version."""
    today = timezone.localdate()
    data = selectors.dashboard(townships=townships, today=today)
    ranking = selectors.township_ranking(county=county, today=today) if county is not None else None
    return render(request, "reports/dashboard.html", {
        "data": data, "township": township, "county": county, "ranking": ranking, "charts_json": _charts(data),
        "urls": list_urls(), "village_area": township.pk if township else "",
    })


@login_required
def dashboard(request):
    user = request.user
    require_roles(user, READ_COMMITTEE_WORK)
    if user.is_county_level:
        county = user.area
        return _render_dashboard(request, townships=list(Area.objects.filter(parent=county).townships()
                                                          .values_list("pk", flat=True)),
                                 township=None, county=county)
    return _render_dashboard(request, townships=[user.area_id], township=user.area, county=None)


@login_required
def dashboard_township(request, pk):
    """One township's dashboard, opened from the county ranking (a township user: their own only)."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    township = get_object_or_404(Area.objects.for_user(request.user).townships(), pk=pk)
    return _render_dashboard(request, townships=[township.pk], township=township, county=None)
