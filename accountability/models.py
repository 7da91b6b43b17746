"""Leaders' accountability (一岗双责, 党政同责): leaders and their duty areas, their check-in visits
at the grassroots, 四不两直 inspections of officials' work, and the manuals and responsibility
letters issued and signed. The county owns every row (``county``); a township reads what
concerns it (``querysets.CountyOwnedQuerySet``)."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity import datacache
from safecommunity.models import TimeStampedModel

from .choices import REQUIRED_FREQUENCY, IssuanceKind, Rank, Side
from .querysets import CountyOwnedQuerySet, LeaderQuerySet

COUNTY = {"level": "county"}


def county_field():
    return models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=COUNTY,
    )


class Leader(TimeStampedModel):
    county = county_field()
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100)
    unit = models.CharField(_("单位"), max_length=100, blank=True)
    rank = models.CharField(_("级别"), max_length=10, choices=Rank.choices)
    side = models.CharField(_("党政/部门"), max_length=12, choices=Side.choices, default=Side.GOVERNMENT)
    duties = models.TextField(_("分管工作及安全职责"), blank=True)
    duty_areas = models.ManyToManyField(
        "safecommunity.Area", verbose_name=_("联系点(乡镇/村)"), related_name="+", blank=True
    )
    is_active = models.BooleanField(_("在任"), default=True)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        ordering = ["county", "rank", "name", "id"]
        verbose_name = _("领导干部")
        verbose_name_plural = _("领导干部")
        indexes = [models.Index(fields=["county", "rank", "name"], name="leader_county_rank")]

    def __str__(self):
        return f"{self.name}（{self.position}）"

    def get_absolute_url(self):
        return reverse("accountability:leader_update", args=[self.pk])

    @property
    def required_frequency(self) -> str:
        return REQUIRED_FREQUENCY[self.rank]


class Visit(TimeStampedModel):
    """A leader's check-in at the grassroots (深入基层检查指导), with what was found."""

    county = county_field()
    leader = models.ForeignKey(Leader, verbose_name=_("领导干部"), on_delete=models.PROTECT, related_name="visits")
    area = models.ForeignKey(
        "safecommunity.Area", verbose_name=_("地点(乡镇/村)"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("日期"))
    place = models.CharField(_("具体地点或单位"), max_length=200, blank=True)
    findings = models.TextField(_("发现的问题和指导意见"))
    photo = models.FileField(_("照片"), upload_to="accountability/visits/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CountyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("基层检查记录")
        verbose_name_plural = _("基层检查记录")
        indexes = [
            models.Index(fields=["county", "-visited_on", "-id"], name="visit_county_date"),
            models.Index(fields=["leader", "visited_on"], name="visit_leader_date"),
        ]

    def __str__(self):
        return f"{self.leader.name} {self.visited_on:%Y-%m-%d}"


class OfficialInspection(TimeStampedModel):
    """A 四不两直 inspection (不发通知、不打招呼、不听汇报、不用陪同接待，直奔基层、直插现场) of how
    officials do their safety work: who inspected whom, what was found."""

    county = county_field()
    inspected_on = models.DateField(_("检查日期"))
    inspector = models.ForeignKey(
        Leader, verbose_name=_("带队领导"), on_delete=models.PROTECT, related_name="official_inspections"
    )
    team = models.CharField(_("检查组成员"), max_length=300, blank=True)
    area = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("被检查乡镇/村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspected_unit = models.CharField(_("被检查单位"), max_length=200)
    inspected_official = models.CharField(_("被检查责任人及职务"), max_length=200)
    findings = models.TextField(_("发现的问题"))
    follow_up = models.TextField(_("处理意见和整改要求"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CountyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("四不两直检查")
        verbose_name_plural = _("四不两直检查")
        indexes = [models.Index(fields=["county", "-inspected_on", "-id"], name="official_insp_county_date")]

    def __str__(self):
        return f"{self.inspected_unit} {self.inspected_on:%Y-%m-%d}"


class Issuance(TimeStampedModel):
    """A batch of 工作手册 or 责任书 issued (and how many came back signed)."""

    county = county_field()
    kind = models.CharField(_("类别"), max_length=30, choices=IssuanceKind.choices)
    issued_on = models.DateField(_("发放日期"))
    area = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("发放乡镇/村"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("不填为县直部门、企业等"),
    )
    recipients = models.CharField(_("发放对象"), max_length=300)
    issued_count = models.PositiveIntegerField(_("发放份数"), validators=[MinValueValidator(1)])
    signed_count = models.PositiveIntegerField(_("签订份数"), default=0)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CountyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("工作手册和责任书")
        verbose_name_plural = _("工作手册和责任书")
        indexes = [models.Index(fields=["county", "-issued_on", "-id"], name="issuance_county_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_count__lte=models.F("issued_count")), name="issuance_signed_le_issued"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.issued_on:%Y-%m-%d}"

    def clean(self):
        if self.signed_count is not None and self.issued_count is not None and self.signed_count > self.issued_count:
            raise ValidationError({"signed_count": _("签订份数不能多于发放份数")})


auditlog.register(Leader)
auditlog.register(Visit)
auditlog.register(OfficialInspection)
auditlog.register(Issuance)

# The county's accountability figures are cached with the county dashboard's 县级工作
# (safecommunity.datacache; reports.county.COUNTY_WORK_DOMAINS), per county.
for _model in (Leader, Visit, OfficialInspection, Issuance):
    datacache.track(_model, "accountability", township_field="county_id")
