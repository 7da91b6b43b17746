"""The ``incidents`` and ``injuries`` record kinds: import template, import and export columns.

Duplicates are recognised by a natural key (an incident: time, village, type and place; an
injury: time, village, person and cause), looked up in one query per batch; valid rows are
saved in bulk through the services, each row checked by the same model rules as the forms.
"""

import random
import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, override
from django.utils.translation import gettext as _

from safecommunity.records import (
    Column,
    ExportColumn,
    RecordKind,
    RowError,
    choice,
    clean_text,
    limited_text,
    parse_choice,
    parse_datetime,
    parse_decimal,
    parse_int,
    register,
)
from safecommunity.records.cells import ID_AS_NUMBER, keep_text, refuse_numeric
from safecommunity.records.registry import validation_reasons

from .choices import (
    CARD_ALIASES,
    CARD_CODES,
    AccidentType,
    Activity,
    Alcohol,
    BodyPart,
    Cause,
    Domain,
    Education,
    IncidentSource,
    Intent,
    Nature,
    Occupation,
    Outcome,
    Place,
    Residence,
    Severity,
    Sex,
)
from .models import Incident, InjuryRecord
from .selectors import age_band_of
from .services import incidents_bulk_register, injury_records_bulk_create
from .tables import IncidentTable, InjuryRecordTable
from .validators import age_on, id_birth_date, id_sex, upgrade_id_number

VILLAGE = "所属村(社区)"


def number_or_id(obj, user):
    """The ledger's number, else the portal's own ("#<id>"): a re-import finds the same record."""
    return obj.source_number or f"#{obj.pk}"


def count(value):
    return parse_int(value, min_value=0, max_value=100000)


def loss(value):
    return parse_decimal(value, places=2, min_value=0)


def age(value):
    if isinstance(value, str):
        value = clean_text(value).removesuffix("周岁").removesuffix("岁")
    return parse_int(value, min_value=0, max_value=130)


def id_number(value):
    """Normalised (x → X); a 15-digit legacy number converted to 18 digits (GB 11643-1999)."""
    return upgrade_id_number(clean_text(value))[0]


_CODE_AND_LABEL = re.compile(r"^(\d+)\s*[.、:：)\]）】\s-]\s*(.+)$")


def _key(text) -> str:
    return clean_text(text).replace(" ", "").casefold()


def card_choice(choices):
    """A column parser for a code list of the injury card: a CDC export's code ("9", "09"), the
    label, "9 农牧渔水利业生产人员", or an alias (``choices.CARD_ALIASES``). A number is always the
    card's code, never a position in the list."""
    codes = {str(int(v)): v for v in choices.values if str(v).isdigit()}
    codes.update(CARD_CODES.get(choices, {}))
    aliases = {_key(k): v for k, v in CARD_ALIASES.get(choices, {}).items()}
    pairs = [(v, label) for v, label in choices.choices]  # one list: parse_choice caches its tables by it
    allowed = "、".join(f"{code}.{choices(v).label}" for code, v in sorted(codes.items(), key=lambda kv: int(kv[0])))

    def refuse(text):
        raise RowError(_("“%(v)s”不在报告卡的代码表中（%(allowed)s）") % {"v": text, "allowed": allowed})

    def by_label(text):
        key = _key(text)
        if key in aliases:
            return aliases[key]
        try:
            return parse_choice(text, pairs)
        except RowError:
            return None

    def parse(value):
        if value is None:
            return None
        text = clean_text(value)
        if not text:
            return None
        compact = text.replace(" ", "")
        if compact.isdigit():
            return codes.get(str(int(compact))) or refuse(text)
        match = _CODE_AND_LABEL.match(text)
        if match and match.group(1).lstrip("0") and str(int(match.group(1))) in codes:
            code_value = codes[str(int(match.group(1)))]
            label_value = by_label(match.group(2))
            if label_value is not None and label_value != code_value:
                refuse(text)
            return code_value
        return by_label(text) or refuse(text)

    # A column holds a few distinct codes: each text is parsed once and remembered. A text the
    # card accepts in the source language (a code, an alias, a Chinese label) means the same in
    # every language: it is remembered by itself, without asking for the language (that costs
    # more than the parse). Any other text is remembered per language, with its reasons.
    settled: dict = {}
    memo: dict = {}
    missing = object()

    def remembered(value):
        if not isinstance(value, (str, int)):
            return parse(value)
        found = settled.get(value, missing)
        if found is not missing:
            return found
        key = (get_language(), value)
        found = memo.get(key)
        if found is None:
            try:
                found = (True, parse(value))
            except RowError as exc:
                found = (False, exc.reasons)
            if found[0] and _accepted_in_source_language(parse, value, found[1]):
                if len(settled) > 4096:
                    settled.clear()
                settled[value] = found[1]
            if len(memo) > 4096:
                memo.clear()
            memo[key] = found
        if found[0]:
            return found[1]
        raise RowError(list(found[1]))

    return remembered


def _accepted_in_source_language(parse, value, result) -> bool:
    with override(settings.LANGUAGE_CODE):
        try:
            return parse(value) == result
        except RowError:
            return False


def _village_map(township) -> dict:
    from safecommunity.models import Area

    villages = {}
    for village in Area.objects.filter(parent=township, level="village"):
        villages[village.code] = village
        villages[village.code[-3:]] = village
        villages[clean_text(village.name).replace(" ", "")] = village
    return villages


def _find_village(values, context):
    raw = clean_text(values.get(VILLAGE)).replace(" ", "")
    if not raw:
        raise RowError(_("%(h)s：不能为空") % {"h": VILLAGE})
    village = context["villages"].get(raw)
    if village is None:
        raise RowError(_("%(h)s：本乡镇/街道没有“%(v)s”") % {"h": VILLAGE, "v": raw})
    return village


def _reject_refused(rows, errors, headers):
    for index, exc in errors.items():
        rows[index].reject("；".join(validation_reasons(exc, headers)))


class _TownshipRecordKind(RecordKind):
    def import_context(self, township):
        return {"villages": _village_map(township)}

    def parse_row(self, values, *, context):
        reasons = []
        try:
            village = _find_village(values, context)
        except RowError as exc:
            reasons.extend(exc.reasons)
            village = None
        try:
            data = super().parse_row(values, context=context)
        except RowError as exc:
            raise RowError(reasons + exc.reasons) from None
        if reasons:
            raise RowError(reasons)
        data["village"] = village
        return data

    def export_queryset(self, queryset):
        return queryset.select_related("township", "village")


@register
class IncidentRecordKind(_TownshipRecordKind):
    name = "incidents"
    label = gettext_lazy("事故登记")
    model = Incident
    columns = [
        Column(
            "发生时间",
            "occurred_at",
            parse_datetime,
            required=True,
            help_text=gettext_lazy("如 2024-03-05 14:30、2024/3/5、2024年3月5日"),
        ),
        Column(VILLAGE, "village", clean_text, required=True, help_text=gettext_lazy("村名或12位区划代码")),
        Column("地点", "address", limited_text(255)),
        Column("行业领域", "domain", choice(Domain), required=True),
        Column("事故类型", "accident_type", choice(AccidentType), required=True),
        Column("死亡人数", "deaths", count),
        Column("重伤人数", "serious_injuries", count),
        Column("轻伤人数", "minor_injuries", count),
        Column("直接经济损失(万元)", "direct_loss", loss),
        Column("简要经过", "narrative", keep_text),
        Column("信息来源", "source", choice(IncidentSource)),
        Column(
            "事故编号",
            "source_number",
            limited_text(50),
            help_text=gettext_lazy("台账自己的编号；填写后再次导入时按编号识别同一起事故"),
            export=number_or_id,
        ),
        Column(
            "上报时间",
            "reported_at",
            parse_datetime,
            help_text=gettext_lazy("向县级部门报告的时间（493号令：1小时内）"),
        ),
        Column("急性工业中毒人数", "acute_poisonings", count, help_text=gettext_lazy("计入重伤人数")),
    ]
    table = IncidentTable
    export_headers = {"injured": "受伤人数", "grade": "事故等级"}
    export_extra = [
        ExportColumn("报告人", "reporter"),
        ExportColumn("超过1小时上报", lambda obj, user: _("是") if obj.report_late else ""),
    ]

    def parse_row(self, values, *, context):
        data = super().parse_row(values, context=context)
        for field in ("deaths", "serious_injuries", "minor_injuries", "acute_poisonings"):
            if data.get(field) is None:
                data[field] = 0
        if data.get("direct_loss") is None:
            data["direct_loss"] = 0
        if not data.get("source"):
            data.pop("source", None)
        return data

    number_field = "source_number"

    def save_batch(self, rows, *, township, user):
        saved, errors = incidents_bulk_register(township=township, user=user, rows=[r.data for r in rows])
        _reject_refused(rows, errors, {c.field: c.header for c in self.columns})
        return saved

    def sample_rows(self, n, township):
        rng = random.Random(n)
        villages = [v.name for v in township.children.all()]
        start = timezone.localtime() - timedelta(days=365 * 3)
        rows = []
        for i in range(n):
            when = start + timedelta(minutes=rng.randrange(0, 365 * 3 * 24 * 60))
            rows.append(
                [
                    when.strftime("%Y-%m-%d %H:%M"),
                    rng.choice(villages),
                    f"样例路{i}号",
                    "道路交通",
                    "车辆伤害",
                    rng.choice([0, 0, 0, 1]),
                    rng.choice([0, 1]),
                    rng.randint(0, 3),
                    rng.randint(0, 500) / 10,
                    "样例经过",
                    "公安交警",
                    "",
                    "",
                    0,
                ]
            )
        return rows


_injury_parse_sex = card_choice(Sex)


@register
class InjuryRecordKind(_TownshipRecordKind):
    name = "injuries"
    label = gettext_lazy("伤害监测记录")
    model = InjuryRecord
    columns = [
        Column("姓名", "name", limited_text(50)),
        Column(
            "身份证号",
            "id_number",
            refuse_numeric(ID_AS_NUMBER)(id_number),
            help_text=gettext_lazy("18位，填写后性别、年龄须与之一致"),
        ),
        Column("性别", "sex", _injury_parse_sex, help_text=gettext_lazy("男/女，或1/2；有身份证号时可不填")),
        Column("年龄", "age", age, help_text=gettext_lazy("周岁；有身份证号时可不填")),
        Column("伤害发生时间", "injured_at", parse_datetime, required=True),
        Column("就诊时间", "visit_at", parse_datetime),
        Column(VILLAGE, "village", clean_text, required=True, help_text=gettext_lazy("村名或12位区划代码")),
        Column("伤害原因", "cause", card_choice(Cause), required=True),
        Column("伤害地点", "place", card_choice(Place), required=True),
        Column("伤害发生时活动", "activity", card_choice(Activity), required=True),
        Column("伤害意图", "intent", card_choice(Intent)),
        Column("是否饮酒", "alcohol", card_choice(Alcohol)),
        Column("伤害性质", "nature", card_choice(Nature), required=True),
        Column("伤害部位", "body_part", card_choice(BodyPart), required=True),
        Column("严重程度", "severity", card_choice(Severity), required=True),
        Column("结局", "outcome", card_choice(Outcome), required=True),
        Column("简要经过", "narrative", keep_text),
        Column(
            "卡片编号",
            "source_number",
            limited_text(50),
            help_text=gettext_lazy("报告卡编号；填写后再次导入时按编号识别同一张卡"),
            export=number_or_id,
        ),
        Column(
            "户籍", "residence", card_choice(Residence), help_text=gettext_lazy("报告卡代码1-4或名称；空则为本市/县")
        ),
        Column("文化程度", "education", card_choice(Education), help_text=gettext_lazy("报告卡代码1-7或名称")),
        Column("职业", "occupation", card_choice(Occupation), help_text=gettext_lazy("报告卡代码1-12或名称")),
        Column("临床诊断", "clinical_diagnosis", limited_text(200)),
        Column("报告时间", "reported_at", parse_datetime, help_text=gettext_lazy("填报日期，不能早于就诊时间")),
        Column("就诊医院", "hospital", limited_text(100)),
    ]
    table = InjuryRecordTable
    export_headers = {"logic_warnings": "逻辑校验提示"}
    export_extra = [
        ExportColumn("年龄段", lambda obj, user: age_band_of(obj.age)),
        ExportColumn("已确认", lambda obj, user: _("是") if obj.warnings_confirmed_at else ""),
    ]

    def parse_row(self, values, *, context):
        data = super().parse_row(values, context=context)
        number = data.get("id_number") or ""
        reasons = []
        if re.fullmatch(r"\d{17}[\dX]", number) and id_birth_date(number):
            data.setdefault("sex", None)
            if not data.get("sex"):
                data["sex"] = id_sex(number)
            if data.get("age") is None:
                data["age"] = age_on(id_birth_date(number), timezone.localtime(data["injured_at"]).date())
        if not data.get("sex"):
            reasons.append(_("%(h)s：不能为空") % {"h": "性别"})
        if data.get("age") is None:
            reasons.append(_("%(h)s：不能为空") % {"h": "年龄"})
        if reasons:
            raise RowError(reasons)
        for optional in ("intent", "alcohol", "residence", "education", "occupation"):
            if not data.get(optional):
                data.pop(optional, None)
        return data

    number_field = "source_number"
    #: Bigger batches than the default: the summary trigger's upserts (one per day and per month
    #: and code touched) are shared by more rows, and the per-batch queries by more rows too.
    batch_size = 5000

    def save_batch(self, rows, *, township, user):
        saved, errors = injury_records_bulk_create(township=township, user=user, rows=[r.data for r in rows])
        _reject_refused(rows, errors, {c.field: c.header for c in self.columns})
        return saved

    def sample_rows(self, n, township):
        rng = random.Random(n)
        villages = [v.name for v in township.children.all()]
        start = timezone.localtime() - timedelta(days=365 * 3)
        profiles = [
            ("跌倒/坠落", "家中", "家务", "骨折", "下肢"),
            ("机动车车祸", "公路/街道", "驾乘交通工具", "挫伤/擦伤", "多部位"),
            ("刀/锐器伤", "工业和建筑场所", "工作", "锐器伤/咬伤/开放伤", "上肢"),
            ("动物伤", "家中", "休闲活动", "锐器伤/咬伤/开放伤", "下肢"),
            ("溺水", "其他", "休闲活动", "其他", "全身广泛受伤"),
        ]
        rows = []
        for i in range(n):
            when = start + timedelta(minutes=rng.randrange(0, 365 * 3 * 24 * 60))
            cause, place, activity, nature, part = rng.choice(profiles)
            rows.append(
                [
                    f"样例{i}",
                    "",
                    rng.choice(["男", "女"]),
                    rng.randint(1, 90),
                    when.strftime("%Y-%m-%d %H:%M"),
                    "",
                    rng.choice(villages),
                    cause,
                    place,
                    activity,
                    "非故意",
                    "未饮用",
                    nature,
                    part,
                    rng.choice(["轻", "中", "重"]),
                    "处理后离院",
                    "",
                    "",
                    "1",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
        return rows
