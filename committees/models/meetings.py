"""Meetings with attendance and minutes; decisions become action items; responsibility agreements."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safecommunity.links import pk_url
from safecommunity.models import CountyOwnedModel, TownshipScopedModel
from safecommunity.querysets import ScopedQuerySet
from safecommunity.uploads import upload_path, validate_scan

from ..choices import ActionStatus, MeetingKind, PartyKind
from ..querysets import ActionItemQuerySet
from .community import CommitteeMember


class Meeting(CountyOwnedModel):
    """A monthly joint meeting (创安联席会议) or a topic meeting, with agenda, minutes, decisions."""

    kind = models.CharField(_("会议类型"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.JOINT)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    chair = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_meetings",
    )
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True, help_text=_("每行一项"))
    issuer = models.CharField(_("印发单位"), max_length=100, blank=True)

    class Meta:
        ordering = ["township", "-held_on", "-id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        indexes = [models.Index(fields=["township", "-held_on", "-id"], name="meeting_township_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return pk_url("committees:meeting_detail", self.pk)

    def decision_lines(self) -> list[str]:
        return [line.strip(" -·•\t") for line in self.decisions.splitlines() if line.strip(" -·•\t")]


class Attendance(models.Model):
    township_field = "meeting__township"

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        CommitteeMember, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "-present", "member__name"]
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting")]

    def __str__(self):
        return f"{self.member} {'出席' if self.present else '缺席'}"

    def clean(self):
        if self.present:
            self.absence_reason = ""
        elif not self.absence_reason:
            raise ValidationError({"absence_reason": _("缺席须注明原因")})
        if self.meeting_id and self.member_id and self.member.township_id != self.meeting.township_id:
            raise ValidationError({"member": _("成员不属于本乡镇")})

    def get_absolute_url(self):
        return reverse("committees:meeting_detail", args=[self.meeting_id])


class ActionItem(TownshipScopedModel):
    """A decision to carry out: owner (a user, or a committee person linked to a user), due date, status."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("来源会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(_("事项"), max_length=300)
    owner_member = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    progress_note = models.TextField(_("办理情况"), blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["township", "due_on", "id"]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        indexes = [
            models.Index(fields=["township", "due_on", "id"], name="action_township_due"),
            models.Index(fields=["township", "status", "due_on"], name="action_township_status"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.owner_member_id and not self.owner_user_id:
            raise ValidationError({"owner_member": _("请指定责任人")})
        if self.owner_member_id and self.township_id and self.owner_member.township_id != self.township_id:
            raise ValidationError({"owner_member": _("责任人不属于本乡镇")})
        if self.owner_user_id and self.township_id and self.owner_user.area_id != self.township_id:
            raise ValidationError({"owner_user": _("责任人账号不属于本乡镇")})
        if self.status == ActionStatus.DONE and not self.done_on:
            raise ValidationError({"done_on": _("已完成的事项须有完成日期")})
        if self.status != ActionStatus.DONE:
            self.done_on = None

    def get_absolute_url(self):
        return reverse("committees:action_detail", args=[self.pk])

    @property
    def owner_display(self) -> str:
        return str(self.owner_member or self.owner_user or "")

    def is_overdue(self, today: date) -> bool:
        return self.status != ActionStatus.DONE and self.due_on < today

    def is_owned_by(self, user) -> bool:
        if self.owner_user_id and self.owner_user_id == user.pk:
            return True
        return bool(self.owner_member_id and self.owner_member.user_id == user.pk)


class Agreement(TownshipScopedModel):
    """A responsibility agreement (目标责任书) between the township and a village or an enterprise."""

    party_kind = models.CharField(
        _("签订对象类型"), max_length=20, choices=PartyKind.choices, default=PartyKind.VILLAGE
    )
    village = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("村/社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"level": "village"},
    )
    enterprise = models.CharField(_("企业名称"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    township_signatory = models.CharField(_("乡镇签订人"), max_length=50, blank=True)
    party_signatory = models.CharField(_("对方签订人"), max_length=50, blank=True)
    targets = models.TextField(_("目标任务"))
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    signed_scan = models.FileField(_("签字扫描件"), upload_to=upload_path, blank=True, validators=[validate_scan])

    class Meta:
        ordering = ["township", "-year", "party_kind", "id"]
        verbose_name = _("目标责任书")
        verbose_name_plural = _("目标责任书")
        indexes = [models.Index(fields=["township", "-year", "party_kind", "id"], name="agreement_township_year")]

    def __str__(self):
        return _("%(year)s年度目标责任书（%(party)s）") % {"year": self.year, "party": self.party_name}

    @property
    def party_name(self) -> str:
        return self.village.name if self.village_id else self.enterprise

    def clean(self):
        if self.party_kind == PartyKind.VILLAGE:
            if not self.village_id:
                raise ValidationError({"village": _("请选择村/社区")})
            if self.township_id and self.village.parent_id != self.township_id:
                raise ValidationError({"village": _("村/社区不属于本乡镇")})
        elif not self.enterprise:
            raise ValidationError({"enterprise": _("请填写企业名称")})

    def get_absolute_url(self):
        return reverse("committees:agreement_detail", args=[self.pk])
