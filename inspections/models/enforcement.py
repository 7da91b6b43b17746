"""Enforcement documents that hold up: the issuing organ with its own number series, its
enforcement officers (执法证号), and the 整改复查意见书 that follows a 责令限期整改指令书."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.models import TownshipScopedModel

from ..choices import ReinspectionConclusion
from ..querysets import GridScopedQuerySet


class AuthorityQuerySet(models.QuerySet):
    def for_user(self, user):
        """The organs a user may issue in the name of: those of the user's own area (a township's
        安监办 for its staff, the county's bureau for county officers)."""
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        return self.filter(area_id=user.area_id, is_active=True)


class IssuingAuthority(models.Model):
    """The competent authority a document is issued in the name of (e.g. 牡丹区应急管理局), with
    its own number series (文号前缀 ``（牡）安监`` → ``（牡）安监责改〔2026〕12号``)."""

    area = models.ForeignKey(
        "safecommunity.Area", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("执法机关名称"), max_length=100)
    series = models.CharField(_("文号前缀"), max_length=30, help_text=_("例如：（牡）安监"))
    is_active = models.BooleanField(_("启用"), default=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["area", "name"]
        verbose_name = _("执法机关")
        verbose_name_plural = _("执法机关")
        constraints = [models.UniqueConstraint(fields=["series"], name="authority_series_unique")]

    def __str__(self):
        return self.name


class EnforcementOfficer(models.Model):
    """An enforcement officer of an authority and the number of their 行政执法证."""

    authority = models.ForeignKey(
        IssuingAuthority, verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="officers"
    )
    name = models.CharField(_("姓名"), max_length=50)
    certificate_number = models.CharField(_("执法证号"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        ordering = ["authority", "name", "id"]
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        constraints = [
            models.UniqueConstraint(fields=["certificate_number"], name="officer_certificate_unique"),
        ]

    def __str__(self):
        return f"{self.name}（{_('执法证号')}：{self.certificate_number}）"


class AuthorityCounter(models.Model):
    """The last number of one authority's series per kind of document and year (row-locked)."""

    authority = models.ForeignKey(IssuingAuthority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["authority", "kind", "year"]
        constraints = [models.UniqueConstraint(fields=["authority", "kind", "year"], name="authority_counter_unique")]

    def __str__(self):
        return f"{self.authority_id} {self.kind} {self.year}: {self.last}"


class ReinspectionQuerySet(GridScopedQuerySet):
    grid_field = "notice__entity__grid"


class Reinspection(TownshipScopedModel):
    """The 整改复查意见书: the re-inspection of what a 责令限期整改指令书 ordered."""

    notice = models.ForeignKey(
        "inspections.Enforcement",
        verbose_name=_("整改指令书"),
        on_delete=models.PROTECT,
        related_name="reinspections",
    )
    authority = models.ForeignKey(
        IssuingAuthority, verbose_name=_("执法机关"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    reinspected_on = models.DateField(_("复查日期"))
    findings = models.TextField(_("复查情况"))
    conclusion = models.CharField(_("复查意见"), max_length=20, choices=ReinspectionConclusion.choices)
    officer_1 = models.ForeignKey(
        EnforcementOfficer, verbose_name=_("执法人员一"), on_delete=models.PROTECT, related_name="+"
    )
    officer_2 = models.ForeignKey(
        EnforcementOfficer, verbose_name=_("执法人员二"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ReinspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-reinspected_on", "-id"]
        verbose_name = _("整改复查意见书")
        verbose_name_plural = _("整改复查意见书")
        indexes = [models.Index(fields=["notice", "-reinspected_on"], name="reinspection_notice")]

    def __str__(self):
        return f"{_('整改复查意见书')} {self.number}"

    def get_absolute_url(self):
        return reverse("inspections:reinspection_detail", args=[self.pk])

    @property
    def issuer_name(self) -> str:
        return self.authority.name


__all__ = ["AuthorityCounter", "EnforcementOfficer", "IssuingAuthority", "Reinspection"]
