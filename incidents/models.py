"""Incidents (事故), their casualty revisions, injury records (伤害监测报告卡), rate baselines."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity import datacache
from safecommunity.fieldmemo import MemoCleanFieldsMixin
from safecommunity.links import pk_url
from safecommunity.models import TimeStampedModel, TownshipScopedModel

from .choices import (
    REPORT_WINDOW_HOURS,
    REVISION_WINDOW_DAYS,
    REVISION_WINDOW_DEFAULT_DAYS,
    AccidentType,
    Activity,
    Alcohol,
    BodyPart,
    Cause,
    Domain,
    Education,
    Grade,
    IncidentSource,
    IncidentStatus,
    Intent,
    Nature,
    Occupation,
    Outcome,
    Place,
    Residence,
    Severity,
    Sex,
)
from .grading import accident_grade
from .querysets import IncidentQuerySet, InjuryRecordQuerySet, RateBaselineQuerySet
from .validators import age_on, card_warnings, id_birth_date, id_sex, upgrade_id_number, validate_id_number

LOSS_FIELD = dict(max_digits=12, decimal_places=2)


def _check_area_links(obj, errors):
    """Village, grid, entity and incident must all belong to the row's township."""
    if obj.village_id and obj.township_id:
        village = obj.village
        if village.level != "village" or village.parent_id != obj.township_id:
            errors["village"] = _("所属村(社区)不在本乡镇/街道")
    grid = getattr(obj, "grid", None)
    if grid is not None and obj.township_id and grid.township_id != obj.township_id:
        errors["grid"] = _("网格不在本乡镇/街道")
    if grid is not None and obj.village_id and grid.village_id != obj.village_id:
        errors.setdefault("grid", _("网格不属于所选村(社区)"))


class Incident(TownshipScopedModel):
    occurred_at = models.DateTimeField(_("发生时间"))
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("所属村(社区)"),
        on_delete=models.PROTECT,
        related_name="incidents",
        limit_choices_to={"level": "village"},
    )
    grid = models.ForeignKey(
        "inspections.Grid",
        verbose_name=_("所属网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    entity = models.ForeignKey(
        "inspections.SupervisedEntity",
        verbose_name=_("涉事单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    address = models.CharField(_("地点"), max_length=255, blank=True)
    #: The number the ledger gave it (事故编号); an import recognises the record by it.
    source_number = models.CharField(_("事故编号"), max_length=50, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    domain = models.CharField(_("行业领域"), max_length=20, choices=Domain.choices)
    accident_type = models.CharField(_("事故类型"), max_length=2, choices=AccidentType.choices)
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0)
    serious_injuries = models.PositiveIntegerField(_("重伤人数"), default=0)
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"), default=0)
    #: 493号令 article 3 counts acute industrial poisoning (急性工业中毒) among the serious injuries.
    acute_poisonings = models.PositiveIntegerField(_("其中急性工业中毒人数"), default=0)
    direct_loss = models.DecimalField(_("直接经济损失(万元)"), default=0, **LOSS_FIELD)
    narrative = models.TextField(_("简要经过"), blank=True)
    source = models.CharField(
        _("信息来源"), max_length=20, choices=IncidentSource.choices, default=IncidentSource.INFORMANT
    )
    reporter = models.CharField(_("报告人"), max_length=50, blank=True)
    #: When the unit reported the accident to the county (493号令 article 9: within 1 hour).
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_incidents",
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("事故")
        verbose_name_plural = _("事故")
        indexes = [
            models.Index(fields=["township", "-occurred_at", "-id"], name="incident_township_occurred"),
            models.Index(fields=["-occurred_at", "-id"], name="incident_occurred"),
            models.Index(fields=["village", "occurred_at"], name="incident_village_occurred"),
            models.Index(fields=["entity", "occurred_at"], name="incident_entity_occurred"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(direct_loss__gte=0), name="incident_loss_not_negative"),
        ]

    def __str__(self):
        when = timezone.localtime(self.occurred_at) if self.occurred_at else None
        place = self.address or (self.village.name if self.village_id else "")
        return f"{when:%Y-%m-%d} {place} {self.get_accident_type_display()}" if when else str(_("事故"))

    def get_absolute_url(self):
        return pk_url("incidents:incident_detail", self.pk)

    @property
    def grade(self) -> Grade:
        return accident_grade(self.deaths, self.serious_injuries, self.direct_loss)

    def get_grade_display(self) -> str:
        return str(Grade(self.grade).label)

    @property
    def injured(self) -> int:
        return (self.serious_injuries or 0) + (self.minor_injuries or 0)

    @property
    def report_delay(self):
        """The time from the accident to its report, or None when not reported yet."""
        if self.reported_at is None or self.occurred_at is None:
            return None
        return self.reported_at - self.occurred_at

    @property
    def report_late(self) -> bool:
        """Reported later than the 1 hour of 493号令 article 9."""
        delay = self.report_delay
        return delay is not None and delay > timezone.timedelta(hours=REPORT_WINDOW_HOURS)

    @property
    def revision_window_days(self) -> int:
        """493号令 article 13: 7 days for road traffic and fire accidents, else 30."""
        return REVISION_WINDOW_DAYS.get(self.domain, REVISION_WINDOW_DEFAULT_DAYS)

    def revision_deadline(self):
        return self.occurred_at + timezone.timedelta(days=self.revision_window_days)

    def clean(self):
        errors = {}
        _check_area_links(self, errors)
        if self.entity_id and self.township_id and self.entity.township_id != self.township_id:
            errors["entity"] = _("涉事单位不在本乡镇/街道")
        future = timezone.now() + timezone.timedelta(minutes=5)
        if self.occurred_at and self.occurred_at > future:
            errors["occurred_at"] = _("发生时间不能晚于现在")
        if self.reported_at and self.reported_at > future:
            errors["reported_at"] = _("上报时间不能晚于现在")
        elif self.reported_at and self.occurred_at and self.reported_at < self.occurred_at:
            errors["reported_at"] = _("上报时间不能早于发生时间")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("经纬度应同时填写")
        if (self.acute_poisonings or 0) > (self.serious_injuries or 0):
            errors["acute_poisonings"] = _("急性工业中毒人数计入重伤人数，不能多于重伤人数")
        if errors:
            raise ValidationError(errors)


class CasualtyRevision(models.Model):
    """One revision of an incident's casualty figures and loss: who, when, before and after."""

    incident = models.ForeignKey(Incident, verbose_name=_("事故"), on_delete=models.CASCADE, related_name="revisions")
    deaths_before = models.PositiveIntegerField(_("原死亡人数"))
    serious_before = models.PositiveIntegerField(_("原重伤人数"))
    minor_before = models.PositiveIntegerField(_("原轻伤人数"))
    loss_before = models.DecimalField(_("原直接经济损失(万元)"), **LOSS_FIELD)
    deaths = models.PositiveIntegerField(_("死亡人数"))
    serious_injuries = models.PositiveIntegerField(_("重伤人数"))
    minor_injuries = models.PositiveIntegerField(_("轻伤人数"))
    direct_loss = models.DecimalField(_("直接经济损失(万元)"), **LOSS_FIELD)
    reason = models.CharField(_("修订说明"), max_length=255, blank=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修订人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casualty_revisions",
    )
    revised_at = models.DateTimeField(_("修订时间"), default=timezone.now)

    township_field = "incident__township"
    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["incident", "revised_at", "id"]
        verbose_name = _("伤亡数字修订")
        verbose_name_plural = _("伤亡数字修订")
        indexes = [models.Index(fields=["incident", "revised_at"], name="casualtyrev_incident_at")]

    def __str__(self):
        return f"{self.incident_id} {self.revised_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.incident.get_absolute_url()

    @property
    def changes_casualties(self) -> bool:
        return (self.deaths, self.serious_injuries, self.minor_injuries) != (
            self.deaths_before,
            self.serious_before,
            self.minor_before,
        )

    @property
    def is_late(self) -> bool:
        """A change of the casualty figures after the 补报 window of 493号令 article 13."""
        return self.changes_casualties and self.revised_at > self.incident.revision_deadline()

    @property
    def is_supplementary(self) -> bool:
        """补报: a change of the casualty figures within the window."""
        return self.changes_casualties and not self.is_late


class InjuryRecord(MemoCleanFieldsMixin, TownshipScopedModel):
    """One injured person (全国伤害监测报告卡)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("关联事故"), null=True, blank=True, on_delete=models.SET_NULL, related_name="injuries"
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(_("年龄"))
    residence = models.CharField(_("户籍"), max_length=20, choices=Residence.choices, default=Residence.LOCAL)
    education = models.CharField(_("文化程度"), max_length=1, choices=Education.choices, blank=True)
    occupation = models.CharField(_("职业"), max_length=2, choices=Occupation.choices, blank=True)
    injured_at = models.DateTimeField(_("伤害发生时间"))
    visit_at = models.DateTimeField(_("就诊时间"), null=True, blank=True)
    #: The card's 填报日期: when the card was filled in (never before the visit).
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("所属村(社区)"),
        on_delete=models.PROTECT,
        related_name="injuries",
        limit_choices_to={"level": "village"},
    )
    grid = models.ForeignKey(
        "inspections.Grid",
        verbose_name=_("所属网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="injuries",
    )
    cause = models.CharField(_("伤害原因"), max_length=2, choices=Cause.choices)
    place = models.CharField(_("伤害地点"), max_length=2, choices=Place.choices)
    activity = models.CharField(_("伤害发生时活动"), max_length=2, choices=Activity.choices)
    intent = models.CharField(_("伤害意图"), max_length=1, choices=Intent.choices, default=Intent.UNINTENTIONAL)
    alcohol = models.CharField(_("是否饮酒"), max_length=1, choices=Alcohol.choices, default=Alcohol.UNKNOWN)
    nature = models.CharField(_("伤害性质"), max_length=1, choices=Nature.choices)
    body_part = models.CharField(_("伤害部位"), max_length=1, choices=BodyPart.choices)
    severity = models.CharField(_("严重程度"), max_length=1, choices=Severity.choices)
    outcome = models.CharField(_("结局"), max_length=1, choices=Outcome.choices)
    clinical_diagnosis = models.CharField(_("临床诊断"), max_length=200, blank=True)
    hospital = models.CharField(_("就诊医院"), max_length=100, blank=True)
    #: The report card's own number (卡片编号): the card's identity; an import recognises it by it.
    source_number = models.CharField(_("卡片编号"), max_length=50, blank=True)
    narrative = models.TextField(_("简要经过"), blank=True)
    #: The codes of the card's plausibility checks this record fails (``validators.CARD_WARNINGS``);
    #: they are warnings, not errors: the user confirms them (``warnings_confirmed_at``).
    logic_warnings = models.JSONField(_("逻辑校验提示"), default=list, blank=True)
    warnings_confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    warnings_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_injuries",
    )

    objects = InjuryRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-injured_at", "-id"]
        verbose_name = _("伤害记录")
        verbose_name_plural = _("伤害记录")
        indexes = [
            models.Index(fields=["township", "-injured_at", "-id"], name="injury_township_injured"),
            models.Index(fields=["-injured_at", "-id"], name="injury_injured"),
            models.Index(fields=["village", "injured_at"], name="injury_village_injured"),
            # Statistics read only these columns: an index-only scan instead of the wide rows.
            models.Index(
                fields=[
                    "township",
                    "injured_at",
                    "cause",
                    "place",
                    "activity",
                    "sex",
                    "age",
                    "severity",
                    "outcome",
                    "village",
                ],
                name="injury_statistics_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(age__lte=130), name="injury_age_plausible"),
        ]

    def __str__(self):
        when = timezone.localtime(self.injured_at) if self.injured_at else None
        label = self.get_cause_display()
        return f"{when:%Y-%m-%d} {label}" if when else str(_("伤害记录"))

    def get_absolute_url(self):
        return pk_url("incidents:injury_detail", self.pk)

    def clean(self):
        errors = {}
        # A 15-digit legacy number becomes its 18-digit form; x is read as X (GB 11643-1999).
        self.id_number, _converted = upgrade_id_number(self.id_number)
        self.name = (self.name or "").strip()
        _check_area_links(self, errors)
        if self.incident_id and self.township_id and self.incident.township_id != self.township_id:
            errors["incident"] = _("关联事故不在本乡镇/街道")
        if self.id_number:
            try:
                validate_id_number(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages[0]
            else:
                if self.sex and id_sex(self.id_number) != self.sex:
                    errors["sex"] = _("性别与身份证号不一致")
                birth = id_birth_date(self.id_number)
                if self.injured_at and self.age is not None:
                    expected = age_on(birth, timezone.localtime(self.injured_at).date())
                    if expected != self.age:
                        errors["age"] = _("年龄与身份证号不一致（按身份证号应为%(n)d岁）") % {"n": expected}
        now = timezone.now() + timezone.timedelta(minutes=5)
        for name, message in (
            ("injured_at", _("伤害发生时间不能晚于现在")),
            ("visit_at", _("就诊时间不能晚于现在")),
            ("reported_at", _("报告时间不能晚于现在")),
        ):
            value = getattr(self, name)
            if value and value > now:
                errors.setdefault(name, message)
        if self.visit_at and self.injured_at and self.visit_at < self.injured_at:
            errors["visit_at"] = _("就诊时间不能早于伤害发生时间")
        if self.reported_at:
            earliest = self.visit_at or self.injured_at
            if earliest and self.reported_at < earliest:
                errors.setdefault("reported_at", _("报告时间不能早于就诊时间"))
        if errors:
            raise ValidationError(errors)

    def current_warnings(self) -> list[str]:
        """The codes of the plausibility checks the record fails as it is now."""
        return card_warnings(self)

    @property
    def has_open_warnings(self) -> bool:
        return bool(self.logic_warnings) and self.warnings_confirmed_at is None

    def warning_messages(self) -> list[str]:
        from .validators import warning_message

        return [warning_message(code) for code in self.logic_warnings or []]


class PersonalDataReveal(models.Model):
    """Each time a user revealed one injury record's full name and ID number (PIPL audit)."""

    injury = models.ForeignKey(
        InjuryRecord, verbose_name=_("伤害记录"), on_delete=models.CASCADE, related_name="reveals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="personal_data_reveals",
    )
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("查看时间"), auto_now_add=True)

    township_field = "injury__township"
    objects = InjuryRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        indexes = [models.Index(fields=["injury", "-created_at"], name="reveal_injury_created")]

    def __str__(self):
        return f"{self.user} → {self.injury_id}"

    def get_absolute_url(self):
        return self.injury.get_absolute_url()


class RateBaseline(TimeStampedModel):
    """Rate denominators of an area for a year, and the control targets (控制指标) set above."""

    area = models.ForeignKey(
        "safecommunity.Area", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="rate_baselines"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    population = models.PositiveIntegerField(_("常住人口"), null=True, blank=True)
    gdp = models.DecimalField(_("地区生产总值(亿元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    motor_vehicles = models.PositiveIntegerField(_("机动车保有量(辆)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("工矿商贸就业人员"), null=True, blank=True)
    target_gdp_death = models.DecimalField(
        _("亿元GDP死亡率控制指标"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    target_road_death = models.DecimalField(
        _("道路交通万车死亡率控制指标"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    target_employee_death = models.DecimalField(
        _("工矿商贸十万人死亡率控制指标"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    target_injury_incidence = models.DecimalField(
        _("伤害发生率控制指标(/10万)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    target_injury_mortality = models.DecimalField(
        _("伤害死亡率控制指标(/10万)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rate_baselines",
    )

    objects = RateBaselineQuerySet.as_manager()

    class Meta:
        ordering = ["area__code", "-year"]
        verbose_name = _("事故率分母与控制指标")
        verbose_name_plural = _("事故率分母与控制指标")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="ratebaseline_area_year_unique")]
        indexes = [models.Index(fields=["area", "-year"], name="ratebaseline_area_year")]

    def __str__(self):
        return f"{self.area} {self.year}"

    def get_absolute_url(self):
        return reverse("incidents:baseline_update", kwargs={"pk": self.pk})

    def clean(self):
        if self.area_id and self.area.level == "village":
            raise ValidationError({"area": _("只能为县/区或乡镇/街道设置")})


auditlog.register(Incident)
auditlog.register(CasualtyRevision)
auditlog.register(InjuryRecord, mask_fields=["name", "id_number"])
auditlog.register(RateBaseline)


# Statistics and list counts are cached per data version (safecommunity.datacache).
datacache.track(Incident, "incidents")
datacache.track(InjuryRecord, "incidents")
# The rates' denominators and targets (the statistics page caches its rates with its figures).
datacache.track(RateBaseline, "baselines", township_field="area_id")

# The summary tables the selectors read (kept by database triggers, see incidents/summary.py).
from .summary import IncidentDay, InjuryDay, MonthlyCount  # noqa: E402,F401
