"""The county's own work (县级工作): figures of the rows the county itself owns, beside the roll-up
of its townships. Read by the county dashboard and the county briefing, so both print the same
numbers.

Township rows roll up (``townships=<the county's township ids>``); the county's own rows
(``CountyOwnedModel`` rows whose owner is the county's ``Area``) are read with
``townships=[county.pk]`` and never enter a township figure.

Other apps add figures of their own through ``register_county_figures`` (a provider is
``provider(*, county, period) -> list[dict]`` of ``{"key", "label", "value", "unit"}``). The
accountability app (工作手册, 责任书: helper 16b) plugs in without an import here: its
``accountability.selectors.county_figures`` is picked up when that app is installed.
"""

from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.utils.translation import gettext as _

from committees import selectors as committees
from committees.choices import ActivityKind, MeetingKind
from inspections import selectors as inspections
from safecommunity.models import Area
from safecommunity.periods import Period

CountyFigureProvider = Callable[..., list[dict]]

#: The data domains (safecommunity.datacache) of the providers' rows, besides the townships'
#: (reports.selectors.DATA_DOMAINS): the county dashboard caches its 县级工作 under their versions of
#: the county, so a provider reads only rows tracked under one of these, keyed by the county.
COUNTY_WORK_DOMAINS = ("accountability",)
_PROVIDERS: list[CountyFigureProvider] = []

#: Apps whose ``selectors.county_work_figures(*, county, period)`` is read when they are installed.
OPTIONAL_PROVIDERS = ("accountability",)


def register_county_figures(provider: CountyFigureProvider) -> CountyFigureProvider:
    """Add a provider of county figures (usable as a decorator); registering twice adds it once."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def county_figure_providers() -> list[CountyFigureProvider]:
    providers = list(_PROVIDERS)
    for label in OPTIONAL_PROVIDERS:
        if apps.is_installed(label):
            from importlib import import_module

            provider = getattr(import_module(f"{label}.selectors"), "county_work_figures", None)
            if provider is not None and provider not in providers:
                providers.append(provider)
    return providers


def _figure(key: str, label: str, value, unit: str) -> dict:
    return {"key": key, "label": str(label), "value": value, "unit": str(unit)}


def county_work(*, county: Area, period: Period, today: date) -> dict:
    """The county's own work in a period, with the townships' roll-up beside it.

    {"figures": [{"key", "label", "value", "unit"}] (the county's own rows, then the registered
    providers'), "hazards": {"county", "townships", "total"} (hazards found),
    "meetings": [(label, n)] (the county's meetings by kind)}"""
    own = [county.pk]
    township_ids = list(Area.objects.filter(parent=county).townships().values_list("pk", flat=True))
    meetings = committees.meeting_statistics(townships=own, period=period)
    activities = committees.activity_sums(townships=own, period=period)["by_kind"]
    hazards_own = inspections.hazard_statistics(townships=own, period=period, today=today)["found"]
    hazards_townships = inspections.hazard_statistics(townships=township_ids, period=period, today=today)["found"]
    times, items = _("次"), _("项")
    figures = [
        _figure("meetings_fire", MeetingKind.FIRE.label, meetings["by_kind"][MeetingKind.FIRE], times),
        _figure("meetings_traffic", MeetingKind.TRAFFIC.label, meetings["by_kind"][MeetingKind.TRAFFIC], times),
        _figure("meetings_joint", MeetingKind.JOINT.label, meetings["by_kind"][MeetingKind.JOINT], times),
        _figure(
            "joint_enforcement",
            ActivityKind.JOINT_ENFORCEMENT.label,
            activities[ActivityKind.JOINT_ENFORCEMENT]["count"],
            times,
        ),
        _figure("hazards_found", _("排查发现隐患"), hazards_own + hazards_townships, items),
        _figure("crackdown", _("打非治违(制止非法违法行为)"), activities[ActivityKind.CRACKDOWN]["count"], _("起")),
    ]
    for provider in county_figure_providers():
        figures.extend(provider(county=county, period=period))
    return {
        "figures": figures,
        "hazards": {"county": hazards_own, "townships": hazards_townships, "total": hazards_own + hazards_townships},
        "meetings": [(str(label), n) for label, n in meetings["rows"] if n],
    }


def county_work_text(work: dict) -> str:
    """One sentence of the briefing: "召开消防联席会议6次、道路交通联席会议8次，开展联合执法17次 …"."""
    parts = [f"{f['label']}{f['value']}{f['unit']}" for f in work["figures"] if f["value"]]
    return "，".join(parts) + "。" if parts else _("本期无县级工作记录。")
