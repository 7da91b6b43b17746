from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.links import pk_url
from safecommunity.models import CountyOwnedModel, TownshipScopedModel
from safecommunity.querysets import ChoiceRowsQuerySet, ScopedQuerySet

from ..choices import (
    OPEN_STATUSES,
    EnforcementKind,
    EscalationLevel,
    HazardAction,
    HazardStatus,
)
from ..querysets import (
    EnforcementQuerySet,
    HazardEventQuerySet,
    HazardQuerySet,
    NotificationQuerySet,
)
from .checklists import ChecklistItem
from .entities import SupervisedEntity
from .inspections import Inspection


class HazardGrade(models.Model):
    """The county's list of hazard grades (一般/重大, some counties three grades)."""

    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    name = models.CharField(_("名称"), max_length=50)
    is_major = models.BooleanField(_("重大隐患(需整改方案和挂牌督办)"), default=False)
    default_days = models.PositiveIntegerField(_("默认整改期限(天)"), default=15)
    order = models.PositiveIntegerField(_("排序"), default=0)

    # Its bulk writes move its generation as its saves do: kept hazard rows show a grade's name.
    objects = ChoiceRowsQuerySet.as_manager()

    class Meta:
        ordering = ["county", "order", "id"]
        verbose_name = _("隐患等级")
        verbose_name_plural = _("隐患等级")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="hazard_grade_unique")]

    def __str__(self):
        return self.name


class Hazard(CountyOwnedModel):
    number = models.CharField(_("隐患编号"), max_length=30, unique=True)
    entity = models.ForeignKey(
        SupervisedEntity, verbose_name=_("监管对象"), on_delete=models.PROTECT, related_name="hazards"
    )
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡查记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="hazards"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), null=True, blank=True, on_delete=models.PROTECT, related_name="hazards"
    )
    grade = models.ForeignKey(HazardGrade, verbose_name=_("隐患等级"), on_delete=models.PROTECT, related_name="hazards")
    is_major = models.BooleanField(_("重大隐患"), default=False)
    description = models.TextField(_("隐患描述"))
    location = models.CharField(_("隐患部位"), max_length=200, blank=True)
    responsible_person = models.CharField(_("整改责任人"), max_length=50, blank=True)
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.REGISTERED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="registered_hazards"
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    county_supervised = models.BooleanField(_("挂牌督办"), default=False)
    escalation_level = models.PositiveSmallIntegerField(
        _("升级层级"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    # Where the hazard is when it is not (only) an enterprise's: a road section, a fire lane …
    place = models.ForeignKey(
        "inspections.HazardPlace",
        verbose_name=_("隐患地点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    # The rule a major hazard was judged by (e.g. 《工贸行业重大生产安全事故隐患判定标准》第四条).
    major_basis = models.TextField(_("重大隐患判定依据"), blank=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("隐患")
        verbose_name_plural = _("隐患")
        indexes = [
            models.Index(fields=["township", "-found_on", "-id"], name="hazard_township_found"),
            models.Index(fields=["-found_on", "-id"], name="hazard_found"),
            models.Index(fields=["township", "status", "deadline"], name="hazard_township_status"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline"),
            models.Index(fields=["entity", "-found_on"], name="hazard_entity_found"),
            models.Index(fields=["township", "closed_on"], name="hazard_township_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False) | ~models.Q(status="closed"),
                name="hazard_closed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description[:30]}"

    def get_absolute_url(self):
        return pk_url("inspections:hazard_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline < today


class RectificationPlan(models.Model):
    """The plan a major hazard needs (安监总局16号令 第15条)."""

    township_field = "hazard__township"

    hazard = models.OneToOneField(Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="plan")
    target = models.TextField(_("治理目标和任务"))
    measures = models.TextField(_("采取的方法和措施"))
    funds = models.DecimalField(_("经费(万元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    responsible_people = models.CharField(_("负责治理的机构和人员"), max_length=300)
    deadline = models.DateField(_("治理时限"))
    interim_measures = models.TextField(_("安全措施(临时)"))
    emergency_plan = models.TextField(_("应急预案"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["hazard"]
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")

    def __str__(self):
        return f"{self.hazard.number} {_('整改方案')}"


class HazardEvent(models.Model):
    """One step of the loop: who, when, why. Never edited or deleted."""

    township_field = "hazard__township"

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=HazardAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=HazardStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    reason = models.TextField(_("说明"), blank=True)

    objects = HazardEventQuerySet.as_manager()

    class Meta:
        ordering = ["hazard", "at", "id"]
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")
        indexes = [models.Index(fields=["hazard", "at", "id"], name="hazard_event_order")]

    def __str__(self):
        return f"{self.hazard.number} {self.get_action_display()}"


class Enforcement(TownshipScopedModel):
    entity = models.ForeignKey(
        SupervisedEntity, verbose_name=_("监管对象"), on_delete=models.PROTECT, related_name="enforcements"
    )
    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), null=True, blank=True, on_delete=models.PROTECT, related_name="enforcements"
    )
    kind = models.CharField(_("执法措施"), max_length=20, choices=EnforcementKind.choices)
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    issued_on = models.DateField(_("下达日期"))
    content = models.TextField(_("违法事实和整改要求"))
    legal_basis = models.CharField(_("法律依据"), max_length=500, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    amount = models.DecimalField(
        _("罚款金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="+"
    )
    # Issued in the name of the competent authority (its number series) by two of its officers.
    authority = models.ForeignKey(
        "inspections.IssuingAuthority",
        verbose_name=_("执法机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcements",
    )
    officer_1 = models.ForeignKey(
        "inspections.EnforcementOfficer",
        verbose_name=_("执法人员一"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer_2 = models.ForeignKey(
        "inspections.EnforcementOfficer",
        verbose_name=_("执法人员二"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = EnforcementQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        indexes = [models.Index(fields=["township", "-issued_on", "-id"], name="enforcement_township_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self):
        return reverse("inspections:enforcement_detail", args=[self.pk])

    @property
    def issuer_name(self) -> str:
        """The organ the document is issued in the name of (older notices: the township office)."""
        if self.authority_id:
            return self.authority.name
        return f"{self.township.name}安全生产监督管理办公室"


class DocumentCounter(models.Model):
    """Sequence numbers of hazards and notices per township and year (row-locked when taken)."""

    township = models.ForeignKey("safecommunity.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["township", "kind", "year"]
        constraints = [models.UniqueConstraint(fields=["township", "kind", "year"], name="counter_unique")]

    def __str__(self):
        return f"{self.township_id} {self.kind} {self.year}: {self.last}"


class Notification(models.Model):
    """An in-app message, e.g. an overdue hazard escalated to this user."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inspection_notifications"
    )
    hazard = models.ForeignKey(Hazard, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    level = models.PositiveSmallIntegerField(_("升级层级"), choices=EscalationLevel.choices, default=0)
    message = models.CharField(_("内容"), max_length=500)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_recipient")]

    def __str__(self):
        return self.message


class DailyRun(models.Model):
    """A periodic task claims its day here (unique), so it runs once however many workers run."""

    task = models.CharField(max_length=100)
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-day", "task"]
        constraints = [models.UniqueConstraint(fields=["task", "day"], name="daily_run_once")]

    def __str__(self):
        return f"{self.task} {self.day}"
