"""Assessment readiness: per AQ/T 9001 element, the evidence that exists in the live data and the
gaps with what to do. Counts come from the apps' selectors (meetings, activities, action items,
projects, hazards, inspections, injury records, the evidence archive); the few rows no selector
counts yet (committee members, working groups, volunteer teams, agreements, surveys, uploaded
files) are counted here, once, in one query each."""

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from committees import selectors as committees
from incidents import selectors as incidents
from inspections import selectors as inspections
from projects import selectors as projects
from safecommunity.periods import Period


def _counts(township) -> dict:
    from committees.models import Agreement, AwarenessSurvey, CommitteeMember, VolunteerTeam, WorkingGroup
    from projects.models import Evidence, Project

    from .choices import SignalStatus
    from .models import InjurySignal

    tid = township.pk
    return {
        "members": CommitteeMember.objects.filter(township_id=tid).count(),
        "groups": WorkingGroup.objects.filter(township_id=tid).count(),
        "teams": VolunteerTeam.objects.filter(township_id=tid).count(),
        "agreements": Agreement.objects.filter(township_id=tid).count(),
        "surveys": AwarenessSurvey.objects.filter(township_id=tid).count(),
        "files": Evidence.objects.filter(township_id=tid).exclude(file="").count(),
        "targets": Project.objects.filter(township_id=tid, target_change__isnull=False).count(),
        "signals_acted": InjurySignal.objects.filter(township_id=tid, status=SignalStatus.ACTED).count(),
    }


def element_readiness(*, township, period: Period, today: date) -> list[dict]:
    """The 12 elements: {"number", "name", "evidence": [(label, n, url)], "gaps": [what to do],
    "archive": n archive items tagged, "ready": bool}."""
    ids = [township.pk]
    meetings = committees.meeting_statistics(townships=ids, period=period)
    activities = committees.activity_sums(townships=ids, period=period)
    actions = committees.action_item_statistics(townships=ids, today=today)
    progress = projects.project_progress(townships=ids, today=today)
    hazards = inspections.hazard_statistics(townships=ids, period=period, today=today)
    coverage = inspections.inspection_coverage(townships=ids, period=period, today=today)
    injuries = incidents.incident_statistics(townships=ids, period=period)["injuries"]
    archive = {r["element"].number: (r["element"], r["count"]) for r in projects.evidence_coverage(township=township)}
    c = _counts(township)
    kinds = activities["by_kind"]

    def n_kind(kind):
        return kinds.get(kind, {}).get("count", 0)

    u = {
        "members": reverse("committees:index"),
        "meetings": reverse("committees:meeting_list"),
        "activities": reverse("committees:activity_list"),
        "projects": reverse("projects:project_list"),
        "interventions": reverse("projects:intervention_list"),
        "injuries": reverse("incidents:injury_list"),
        "statistics": reverse("incidents:statistics"),
        "hazards": reverse("inspections:hazard_list"),
        "inspections": reverse("inspections:inspection_list"),
        "actions": reverse("committees:action_list"),
        "evidence": reverse("projects:evidence_list"),
        "signals": reverse("analysis:signal_list"),
    }
    # element → [(label, value, url, what to do when it is 0)]
    sources = {
        1: [
            (_("委员会成员"), c["members"], u["members"], _("录入促进委员会成员及职务")),
            (_("工作组"), c["groups"], u["members"], _("建立工作组并明确组长和职责")),
        ],
        2: [
            (_("召开会议"), meetings["total"], u["meetings"], _("召开创安联席会议并上传纪要")),
            (_("志愿者队伍"), c["teams"], u["members"], _("登记志愿者队伍")),
        ],
        3: [
            (_("伤害监测例数"), injuries, u["injuries"], _("开展伤害监测，按月录入伤害报告卡")),
            (_("发现隐患"), hazards["found"], u["hazards"], _("开展隐患排查并登记")),
        ],
        4: [
            (_("设定目标的项目"), c["targets"], u["projects"], _("为促进项目设定指标和目标变化")),
            (_("目标责任书"), c["agreements"], u["members"], _("与村(社区)、企业签订目标责任书")),
        ],
        5: [
            (_("促进项目"), progress["total"], u["projects"], _("依据伤害数据立项安全促进项目")),
            (_("干预措施"), progress["interventions"]["total"], u["interventions"], _("为项目安排干预措施")),
        ],
        6: [
            (_("宣传活动"), n_kind("publicity"), u["activities"], _("开展安全宣传活动并留存照片")),
            (_("培训"), n_kind("training"), u["activities"], _("组织安全培训")),
            (_("知晓率调查"), c["surveys"], u["activities"], _("开展居民安全知晓率和参与率调查")),
        ],
        7: [(_("应急演练"), n_kind("drill"), u["activities"], _("组织应急演练并记录"))],
        8: [
            (_("完成巡查"), coverage["inspections_done"], u["inspections"], _("按频次开展网格巡查")),
        ],
        9: [
            (_("伤害监测例数"), injuries, u["statistics"], _("录入伤害报告卡，保证各村按月报告")),
        ],
        10: [(_("上传文件"), c["files"], u["evidence"], _("上传创建档案（文件、照片、纪要）并标注要素"))],
        11: [
            (_("已整改隐患"), hazards["found_closed"], u["hazards"], _("推进隐患整改销号")),
            (_("已完成督办事项"), actions["done"], u["actions"], _("落实会议议定事项")),
            (_("已处理的伤害预警"), c["signals_acted"], u["signals"], None),
        ],
        12: [(_("已评估项目"), progress["evaluated"], u["projects"], _("对到期项目开展效果评估"))],
    }
    rows = []
    for number in range(1, 13):
        element, tagged = archive.get(number, (None, 0))
        evidence = [(label, value, url) for label, value, url, _todo in sources[number]]
        gaps = [todo for _label, value, _url, todo in sources[number] if not value and todo]
        if not tagged:
            gaps.append(_("在创建档案中上传并标注本要素的佐证材料"))
        rows.append(
            {
                "number": number,
                "name": element.name if element else str(number),
                "element_id": element.pk if element else None,
                "evidence": evidence,
                "archive": tagged,
                "gaps": gaps,
                "ready": not gaps,
            }
        )
    return rows


def addressing_projects(*, township) -> dict[int, list]:
    """AQ/T 9001 element number → the township's projects that address it: those whose archive
    items are tagged with the element (element 5: every project)."""
    from projects.models import Project

    projects_ = list(
        Project.objects.filter(township=township).prefetch_related("evidence__elements").order_by("-start_on", "id")
    )
    found = {}
    for p in projects_:
        for e in p.evidence.all():
            for el in e.elements.all():
                found.setdefault(el.number, [])
                if p not in found[el.number]:
                    found[el.number].append(p)
    found[5] = projects_
    return found


def red_cells(scorecard) -> dict[int, dict]:
    """Leaf criteria scoring below 60% of their points (or nothing on a final card): criterion id →
    {"project": the project addressing its element, or None; "element": number}."""
    from reports.selectors import scorecard_rows

    linked = addressing_projects(township=scorecard.township)
    out = {}
    for r in scorecard_rows(scorecard):
        if r["group"]:
            continue
        c, pts = r["criterion"], r["points"]
        if pts is None and not scorecard.is_final:
            continue
        if (pts or 0) < c.points * 6 / 10:
            number = _element_number(c.code)
            candidates = linked.get(number, []) if number else []
            out[c.pk] = {"element": number, "project": candidates[0] if candidates else None}
    return out


def _element_number(code: str) -> int | None:
    head = (code or "").split(".")[0]
    return int(head) if head.isdigit() and 1 <= int(head) <= 12 else None


def evidence_index(*, township, period: Period, today: date) -> list[dict]:
    """The scorecard PDF's evidence index: per element, what exists and the archive's items."""
    from projects.models import Evidence

    rows = element_readiness(township=township, period=period, today=today)
    items = {}
    qs = (
        Evidence.objects.filter(township=township)
        .filter(Q(dated__gte=period.start, dated__lt=period.end))
        .prefetch_related("elements")
        .order_by("dated", "id")
    )
    for e in qs[:500]:
        for el in e.elements.all():
            items.setdefault(el.number, []).append({"title": e.title, "dated": e.dated, "kind": e.get_kind_display()})
    for r in rows:
        r["items"] = items.get(r["number"], [])
    return rows
