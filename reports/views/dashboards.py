from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from analysis import suppression
from safecommunity.datacache import RESULT_TIMEOUT
from safecommunity.filters import choice_generations
from safecommunity.generic import prime_county_townships
from safecommunity.mixins import require_roles
from safecommunity.models import Area
from safecommunity.pages import kept, reading
from safecommunity.periods import month_label
from safecommunity.permissions import READ_COMMITTEE_WORK
from safecommunity.querysets import county_township_ids

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
        "months": [month_label(m) for m in trend["months"]],
        "current": trend["incidents"]["current"],
        "previous": trend["incidents"]["previous"],
        "injuries_current": trend["injuries"]["current"],
        "injuries_previous": trend["injuries"]["previous"],
        "cause": [[r[1], r[2]] for r in data["breakdowns"]["cause"]],
        "place": [[r[1], r[2]] for r in data["breakdowns"]["place"]],
        "age": [[r[1], r[2]] for r in data["breakdowns"]["age_band"]],
    }


def tile_links(data: dict, township) -> dict:
    """The list behind each tile, filtered to exactly the rows its number counts (the township's
    when a county user opened one township's dashboard)."""
    urls = list_urls()
    scope = {"township": township.pk} if township is not None else {}
    year, month, ytd = data["today"].year, data["month"], data["ytd"]

    def link(key, **params):
        return f"{urls[key]}?{urlencode({**params, **scope})}"

    return {
        "incidents": link("incidents", year=year),
        "loss": link("incidents", year=year),
        "deaths": link("incidents", year=year, casualties="deaths"),
        "injured": link("incidents", year=year, casualties="injured"),
        "month_incidents": link("incidents", year=year, month=month.start.month),
        "month_injuries": link("injuries", year=year, month=month.start.month),
        "hazards_found": link("hazards", since=ytd.start.isoformat(), until=ytd.last_day.isoformat()),
        "hazards_overdue": link("hazards", overdue="true"),
        "inspections": link("inspections", since=month.start.isoformat(), until=month.last_day.isoformat()),
        "projects": link("projects"),
        "actions": link("actions", overdue="true"),
        "meetings": link("meetings", held_from=ytd.start.isoformat(), held_to=ytd.last_day.isoformat()),
    }


def _render_dashboard(request, *, townships, township, county):
    """The figures come from one cached result of the page (``selectors.dashboard_page``, exact
    per data version); the page drawn from it is kept per data version, role, area and
    suppression (``safecommunity.pages.kept``): after a write its readers arriving at once wait
    for one drawing of it, which waits for one computation of the result."""
    today = timezone.localdate()
    user = request.user
    with reading(request, "reports.dashboard", selectors.dashboard_page_reads(townships=(), county=county)[0]):
        if townships is None:  # a county's: its townships, from this worker's memory
            prime_county_townships(user, choice_generations(["safecommunity.Area"])["safecommunity.Area"])
            townships = county_township_ids(user)
        return _kept_dashboard(request, townships, township, county, today)


def _kept_dashboard(request, townships, township, county, today):
    user = request.user
    shown = suppression.for_user(user)  # small cells hidden for members (issue 20)
    work_year = _work_year(request, today) if county is not None else None
    domains, scope = selectors.dashboard_page_reads(townships=townships, county=county)
    return kept(
        request,
        lambda: _dashboard_response(request, townships, township, county, today, shown, work_year),
        name="reports.dashboard",
        domains=domains,
        townships=scope,
        variant=(user.role, user.area_id, shown.threshold, township and township.pk),
        timeout=RESULT_TIMEOUT,
    )


def _dashboard_response(request, townships, township, county, today, shown, work_year):
    page = selectors.dashboard_page(townships=townships, today=today, county=county, work_year=work_year)
    data = shown.dashboard(page["data"])
    return TemplateResponse(
        request,
        "reports/dashboard.html",
        {
            "data": data,
            "township": township,
            "county": county,
            "ranking": page["ranking"],
            "charts_json": _charts(data),
            "urls": list_urls(),
            "links": tile_links(data, township),
            "village_area": township.pk if township else "",
            "county_work": page["county_work"],
            "suppression_note": shown.note,
            "fragment_key": f"{page['token']}:{shown.threshold}:{translation.get_language()}:{township and township.pk}",
        },
    )


def _work_year(request, today) -> int:
    """The year of the county's own work shown (``?work_year=2012``; the current year by default)."""
    try:
        year = int(request.GET.get("work_year") or today.year)
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year)


@login_required
def dashboard(request):
    user = request.user
    require_roles(user, READ_COMMITTEE_WORK)
    if user.is_county_level:
        county = user.area
        return _render_dashboard(request, townships=None, township=None, county=county)
    return _render_dashboard(request, townships=[user.area_id], township=user.area, county=None)


@login_required
def dashboard_township(request, pk):
    """One township's dashboard, opened from the county ranking (a township user: their own only)."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    township = get_object_or_404(Area.objects.for_user(request.user).townships(), pk=pk)
    return _render_dashboard(request, townships=[township.pk], township=township, county=None)
