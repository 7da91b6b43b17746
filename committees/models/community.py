"""The community (the township's safe-community effort), its committee, groups and local roles."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.models import CountyOwnedModel, TownshipScopedModel
from safecommunity.periods import add_months
from safecommunity.querysets import ScopedQuerySet

from ..choices import CommunityType, DesignationLevel, LocalRoleKind, Position, Stage
from ..querysets import DesignationQuerySet

REEVALUATION_ALERT_MONTHS = 6


class Community(CountyOwnedModel):
    """The township's safe-community effort and its promotion committee (one per township); a
    county's own 安全社区推进委员会 is the row owned by the county."""

    name = models.CharField(_("社区名称"), max_length=100)
    community_type = models.CharField(
        _("社区类型"), max_length=20, choices=CommunityType.choices, default=CommunityType.RURAL
    )
    stage = models.CharField(_("工作阶段"), max_length=20, choices=Stage.choices, default=Stage.LAUNCH)
    committee_name = models.CharField(_("促进委员会名称"), max_length=100, blank=True)
    office_location = models.CharField(_("委员会办公室地点"), max_length=200, blank=True)
    office_phone = models.CharField(_("办公室电话"), max_length=30, blank=True)
    launched_on = models.DateField(_("启动日期"), null=True, blank=True)

    class Meta:
        ordering = ["township__code"]
        verbose_name = _("安全社区")
        verbose_name_plural = _("安全社区")
        constraints = [models.UniqueConstraint(fields=["township"], name="community_one_per_township")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:community_detail", args=[self.pk])


class Designation(models.Model):
    """One designation (命名) of the community at a level, with its date and expiry."""

    township_field = "community__township"

    community = models.ForeignKey(
        Community, verbose_name=_("安全社区"), on_delete=models.CASCADE, related_name="designations"
    )
    level = models.CharField(_("命名级别"), max_length=20, choices=DesignationLevel.choices)
    designated_on = models.DateField(_("命名日期"))
    expires_on = models.DateField(_("有效期至"))
    issuer = models.CharField(_("命名机构"), max_length=100, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=50, blank=True)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        ordering = ["community", "-designated_on"]
        verbose_name = _("命名")
        verbose_name_plural = _("命名")
        indexes = [models.Index(fields=["community", "-designated_on"], name="designation_comm_date")]

    def __str__(self):
        return f"{self.get_level_display()} {self.designated_on:%Y-%m-%d}"

    def clean(self):
        if self.designated_on and self.expires_on and self.expires_on <= self.designated_on:
            raise ValidationError({"expires_on": _("有效期应晚于命名日期")})

    def get_absolute_url(self):
        return reverse("committees:community_detail", args=[self.community_id])

    def is_expired(self, today: date) -> bool:
        return self.expires_on < today

    def reevaluation_due(self, today: date) -> bool:
        """Re-evaluation is due when the title expires within the next six months."""
        return today <= self.expires_on < add_months(today, REEVALUATION_ALERT_MONTHS)


class MemberUnit(CountyOwnedModel):
    """A member unit of the committee (安监站, 司法所, 派出所, 消防, 交警, 学校 …)."""

    name = models.CharField(_("单位名称"), max_length=100)
    duties = models.TextField(_("职责"), blank=True)

    class Meta:
        ordering = ["township", "name"]
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        indexes = [models.Index(fields=["township", "name"], name="memberunit_township_name")]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="memberunit_unique_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:index")


class CommitteeMember(CountyOwnedModel):
    """A person on the promotion committee, with position, unit, post and term of office."""

    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("委员会职务"), max_length=30, choices=Position.choices, default=Position.MEMBER)
    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    post = models.CharField(_("单位职务"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    term_start = models.DateField(_("任期开始"), null=True, blank=True)
    term_end = models.DateField(_("任期结束"), null=True, blank=True)
    in_office = models.BooleanField(_("委员会办公室成员"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_memberships",
    )

    class Meta:
        ordering = ["township", "position", "name"]
        verbose_name = _("委员会成员")
        verbose_name_plural = _("委员会成员")
        indexes = [models.Index(fields=["township", "position", "name"], name="member_township_pos")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("任期结束不能早于任期开始")})
        if self.unit_id and self.township_id and self.unit.township_id != self.township_id:
            raise ValidationError({"unit": _("成员单位不属于本乡镇")})
        if self.user_id and self.township_id and self.user.area_id != self.township_id:
            raise ValidationError({"user": _("平台账号不属于本乡镇")})

    def get_absolute_url(self):
        return reverse("committees:member_update", args=[self.pk])

    def in_term(self, today: date) -> bool:
        return (self.term_start is None or self.term_start <= today) and (
            self.term_end is None or today <= self.term_end
        )


class WorkingGroup(TownshipScopedModel):
    """A working group (工作组) under the committee: lead, members, duties; owns projects."""

    name = models.CharField(_("工作组名称"), max_length=100)
    lead = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("组长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
    )
    members = models.ManyToManyField(CommitteeMember, verbose_name=_("成员"), blank=True, related_name="groups")
    duties = models.TextField(_("职责"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["township", "sort_order", "name"]
        verbose_name = _("工作组")
        verbose_name_plural = _("工作组")
        indexes = [models.Index(fields=["township", "sort_order", "name"], name="group_township_order")]
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="group_unique_name")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.lead_id and self.township_id and self.lead.township_id != self.township_id:
            raise ValidationError({"lead": _("组长不属于本乡镇")})

    def get_absolute_url(self):
        return reverse("committees:group_detail", args=[self.pk])


class LocalRole(TownshipScopedModel):
    """A village or enterprise role: 信息员, 协管员, 巡查员."""

    kind = models.CharField(_("角色"), max_length=20, choices=LocalRoleKind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("村/社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_roles",
        limit_choices_to={"level": "village"},
    )
    enterprise = models.CharField(_("企业"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        ordering = ["township", "kind", "name"]
        verbose_name = _("村/企业安全员")
        verbose_name_plural = _("村/企业安全员")
        indexes = [models.Index(fields=["township", "kind", "name"], name="localrole_township_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    def clean(self):
        if not self.village_id and not self.enterprise:
            raise ValidationError(_("请填写所属村/社区或企业"))
        if self.village_id and self.township_id and self.village.parent_id != self.township_id:
            raise ValidationError({"village": _("村/社区不属于本乡镇")})

    def get_absolute_url(self):
        return reverse("committees:localrole_update", args=[self.pk])


class VolunteerTeam(TownshipScopedModel):
    """A volunteer team (义务巡逻队, 志愿者协会)."""

    name = models.CharField(_("队伍名称"), max_length=100)
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("村/社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        limit_choices_to={"level": "village"},
    )
    leader = models.CharField(_("队长"), max_length=50, blank=True)
    duties = models.TextField(_("职责"), blank=True)

    class Meta:
        ordering = ["township", "name"]
        verbose_name = _("志愿者队伍")
        verbose_name_plural = _("志愿者队伍")
        indexes = [models.Index(fields=["township", "name"], name="team_township_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:team_detail", args=[self.pk])


class Volunteer(models.Model):
    township_field = "team__township"

    team = models.ForeignKey(VolunteerTeam, verbose_name=_("队伍"), on_delete=models.CASCADE, related_name="volunteers")
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["team", "name"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        indexes = [models.Index(fields=["team", "name"], name="volunteer_team_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committees:team_detail", args=[self.team_id])
