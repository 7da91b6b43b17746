"""Record kinds of the inspections app: entities, inspections and hazards (import and export)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.exceptions import ApplicationError
from safecommunity.models import Area
from safecommunity.records.cells import (
    PHONE_AS_NUMBER,
    RowError,
    choice,
    clean_text,
    keep_text,
    limited_text,
    parse_date,
    parse_datetime,
    phone_text,
    refuse_numeric,
)
from safecommunity.records.registry import Column, ExportColumn, RecordKind, register

from .choices import EntityKind, HazardStatus, InspectionMode, Rating, RiskColour
from .models import Grid, Hazard, Inspection, SupervisedEntity
from .tables import EntityTable, HazardTable, InspectionTable
from .validators import normalise_credit_code, validate_credit_code

# 红/橙/黄/蓝 alone, the colour's risk word, or the full label.
_COLOUR_WORDS = {
    "红": RiskColour.RED,
    "红色": RiskColour.RED,
    "重大": RiskColour.RED,
    "重大风险": RiskColour.RED,
    "橙": RiskColour.ORANGE,
    "橙色": RiskColour.ORANGE,
    "较大": RiskColour.ORANGE,
    "较大风险": RiskColour.ORANGE,
    "黄": RiskColour.YELLOW,
    "黄色": RiskColour.YELLOW,
    "一般": RiskColour.YELLOW,
    "一般风险": RiskColour.YELLOW,
    "蓝": RiskColour.BLUE,
    "蓝色": RiskColour.BLUE,
    "低": RiskColour.BLUE,
    "低风险": RiskColour.BLUE,
}
COLOUR_SHORT = {RiskColour.RED: "红", RiskColour.ORANGE: "橙", RiskColour.YELLOW: "黄", RiskColour.BLUE: "蓝"}


def parse_colour(value):
    text = clean_text(value)
    if not text:
        return RiskColour.BLUE
    if text in _COLOUR_WORDS:
        return _COLOUR_WORDS[text]
    return choice(RiskColour)(text)


def parse_credit_code(value) -> str:
    code = normalise_credit_code(clean_text(value))
    if code:
        from django.core.exceptions import ValidationError

        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise RowError(exc.messages) from None
    return code


def _township_entities(township):
    return SupervisedEntity.objects.filter(township=township)


class EntityLookupMixin:
    """Finds the row's entity by credit code, else by name, within the township."""

    def entity_context(self, township) -> dict:
        by_code, by_name = {}, {}
        for pk, name, code in _township_entities(township).values_list("pk", "name", "credit_code"):
            if code:
                by_code[code] = pk
            by_name.setdefault(name, []).append(pk)
        return {"by_code": by_code, "by_name": by_name}

    def find_entity(self, data, context) -> int:
        code, name = data.get("credit_code"), data.get("entity_name", "")
        if code:
            if code in context["by_code"]:
                return context["by_code"][code]
            raise RowError(_("统一社会信用代码：本乡镇/街道没有该监管对象"))
        matches = context["by_name"].get(name, [])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise RowError(_("监管对象：本乡镇/街道没有“%(n)s”") % {"n": name})
        raise RowError(_("监管对象：“%(n)s”有重名，请填写统一社会信用代码") % {"n": name})


@register
class EntityRecordKind(RecordKind):
    name = "entities"
    label = gettext_lazy("监管对象")
    model = SupervisedEntity
    columns = [
        Column("单位名称", "name", limited_text(200), required=True),
        Column("统一社会信用代码", "credit_code", parse_credit_code, help_text=gettext_lazy("18位；小场所可为空")),
        Column("场所类别", "kind", choice(EntityKind), required=True),
        Column("行业", "industry", limited_text(100)),
        Column("地址", "address", limited_text(255)),
        Column("所属村(社区)", "village_name", limited_text(100), required=True, export="village.name"),
        Column(
            "所属网格",
            "grid_name",
            limited_text(100),
            help_text=gettext_lazy("网格名称或编号，可为空"),
            export="grid.name",
        ),
        Column("法定代表人", "legal_representative", limited_text(50)),
        Column("联系电话", "phone", refuse_numeric(PHONE_AS_NUMBER)(phone_text)),
        Column(
            "风险等级",
            "risk_colour",
            parse_colour,
            help_text=gettext_lazy("红/橙/黄/蓝"),
            export=lambda obj, user: COLOUR_SHORT.get(obj.risk_colour, ""),
        ),
    ]
    table = EntityTable
    export_extra = [
        ExportColumn("需约谈", lambda obj, user: "是" if obj.summons_required else "否"),
        ExportColumn("乡镇/街道", "township.name"),
    ]

    def export_queryset(self, queryset):
        return queryset.select_related("village", "grid", "township").order_by("township_id", "name", "id")

    def import_context(self, township):
        villages = {v.name: v for v in Area.objects.filter(parent=township, level="village")}
        grids = {}
        for grid in Grid.objects.filter(township=township):
            grids[grid.name] = grid
            grids[grid.code] = grid
        return {"villages": villages, "grids": grids}

    def parse_row(self, values, *, context):
        data = super().parse_row(values, context=context)
        reasons = []
        village = context["villages"].get(data.pop("village_name"))
        if village is None:
            reasons.append(_("所属村(社区)：本乡镇/街道没有该村(社区)"))
        grid_name = data.pop("grid_name", "")
        grid = None
        if grid_name:
            grid = context["grids"].get(grid_name)
            if grid is None:
                reasons.append(_("所属网格：没有该网格"))
            elif village is not None and grid.village_id != village.pk:
                reasons.append(_("所属网格：不在所填村(社区)"))
        if reasons:
            raise RowError(reasons)
        data.update(village=village, grid=grid)
        return data

    def natural_key(self, data):
        if data.get("credit_code"):
            return ("code", data["credit_code"])
        return ("name", data["name"], data["village"].pk)

    def existing_keys(self, keys, *, township):
        codes = [k[1] for k in keys if k[0] == "code"]
        names = [k[1] for k in keys if k[0] == "name"]
        found = set()
        for code in SupervisedEntity.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True):
            found.add(("code", code))
        rows = SupervisedEntity.objects.filter(township=township, name__in=names).values_list("name", "village_id")
        for name, village_id in rows:
            found.add(("name", name, village_id))
        return found

    def save_row(self, data, *, township, user):
        from .services import entity_create

        entity_create(user=user, township=township, **data)

    def sample_rows(self, n, township):
        from .validators import CREDIT_CODE_ALPHABET, make_credit_code

        def _base31(n, width):
            digits = ""
            for _position in range(width):
                n, r = divmod(n, 31)
                digits = CREDIT_CODE_ALPHABET[r] + digits
            return digits

        village = Area.objects.filter(parent=township, level="village").order_by("code").first()
        rows = []
        for i in range(1, n + 1):
            code = make_credit_code(area=township.code[:6], body=township.code[-3:] + _base31(i, 5))
            rows.append(
                [
                    f"样例企业{i:05d}",
                    code,
                    "企业",
                    "制造业",
                    "样例路1号",
                    village.name if village else "",
                    "",
                    "张三",
                    "13800000000",
                    "蓝",
                ]
            )
        return rows


@register
class InspectionRecordKind(EntityLookupMixin, RecordKind):
    name = "inspections"
    label = gettext_lazy("巡查记录")
    model = Inspection
    columns = [
        Column("监管对象", "entity_name", limited_text(200), required=True, export="entity.name"),
        Column("统一社会信用代码", "credit_code", parse_credit_code, export="entity.credit_code"),
        Column("检查时间", "inspected_at", parse_datetime, required=True),
        Column("检查方式", "mode", choice(InspectionMode)),
        Column("总体评价", "rating", choice(Rating), required=True),
        Column("负责人签字", "representative_name", limited_text(50), required=True),
        Column("检查情况", "notes", keep_text),
    ]
    table = InspectionTable
    export_extra = [
        ExportColumn("联合执法", lambda obj, user: "、".join(obj.joint_agency_labels)),
        ExportColumn("乡镇/街道", "township.name"),
    ]

    def export_queryset(self, queryset):
        return queryset.select_related("entity__village", "recorded_by", "township").order_by("-inspected_at", "-id")

    def import_context(self, township):
        return self.entity_context(township)

    def parse_row(self, values, *, context):
        data = super().parse_row(values, context=context)
        data["entity_id"] = self.find_entity(data, context)
        if data["inspected_at"] > timezone.now():
            raise RowError(_("检查时间：不能晚于现在"))
        return data

    def save_row(self, data, *, township, user):
        from .services import inspection_record

        if user is None:
            raise ApplicationError(_("导入巡查记录须指定导入人"))
        entity = SupervisedEntity.objects.get(pk=data["entity_id"])
        inspection_record(
            user=user,
            entity=entity,
            inspected_at=data["inspected_at"],
            mode=data.get("mode") or InspectionMode.ANNOUNCED,
            rating=data["rating"],
            representative_name=data["representative_name"],
            notes=data.get("notes", ""),
            outcomes=[],
        )


_STATUS_WORDS = {
    "已登记": HazardStatus.REGISTERED,
    "登记": HazardStatus.REGISTERED,
    "未整改": HazardStatus.REGISTERED,
    "整改中": HazardStatus.RECTIFYING,
    "待验收": HazardStatus.PENDING_VERIFICATION,
    "已销号": HazardStatus.CLOSED,
    "已整改": HazardStatus.CLOSED,
    "销号": HazardStatus.CLOSED,
}


def parse_status(value):
    text = clean_text(value)
    if not text:
        return HazardStatus.REGISTERED
    return _STATUS_WORDS.get(text) or choice(HazardStatus)(text)


@register
class HazardRecordKind(EntityLookupMixin, RecordKind):
    name = "hazards"
    label = gettext_lazy("隐患台账")
    model = Hazard
    columns = [
        Column("监管对象", "entity_name", limited_text(200), required=True, export="entity.name"),
        Column("统一社会信用代码", "credit_code", parse_credit_code, export="entity.credit_code"),
        Column("隐患等级", "grade_name", limited_text(50), required=True, export="grade.name"),
        Column("隐患描述", "description", keep_text, required=True),
        Column("发现日期", "found_on", parse_date, required=True),
        Column("整改期限", "deadline", parse_date, required=True),
        Column("状态", "status", parse_status, help_text=gettext_lazy("已登记/整改中/待验收/已销号")),
    ]
    table = HazardTable
    export_headers = {"overdue": "是否逾期"}
    export_extra = [
        ExportColumn("销号日期", "closed_on"),
        ExportColumn("挂牌督办", lambda obj, user: "是" if obj.county_supervised else "否"),
        ExportColumn("乡镇/街道", "township.name"),
    ]

    def export_queryset(self, queryset):
        return queryset.select_related("entity", "grade", "township").order_by("-found_on", "-id")

    def import_context(self, township):
        from .services import hazard_grades

        context = self.entity_context(township)
        context["grades"] = {g.name: g for g in hazard_grades(township.parent)}
        return context

    def parse_row(self, values, *, context):
        data = super().parse_row(values, context=context)
        reasons = []
        name = data.pop("grade_name")
        grade = context["grades"].get(name) or context["grades"].get(f"{name}隐患")
        if grade is None:
            reasons.append(_("隐患等级：应为%(g)s") % {"g": "、".join(context["grades"])})
        try:
            data["entity_id"] = self.find_entity(data, context)
        except RowError as exc:
            reasons.extend(exc.reasons)
        if data["deadline"] < data["found_on"]:
            reasons.append(_("整改期限：不能早于发现日期"))
        if reasons:
            raise RowError(reasons)
        data["grade"] = grade
        return data

    def save_row(self, data, *, township, user):
        from .services import hazard_register

        if user is None:
            raise ApplicationError(_("导入隐患须指定导入人"))
        entity = SupervisedEntity.objects.select_related("township").get(pk=data["entity_id"])
        hazard_register(
            user=user,
            entity=entity,
            grade=data["grade"],
            description=data["description"],
            found_on=data["found_on"],
            deadline=data["deadline"],
            status=data["status"],
        )
