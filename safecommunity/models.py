"""Shared models: the administrative tree, users with their role and scope, security events."""

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AREA_CODE_LENGTH, AREA_PARENT_LEVEL, AreaLevel, Role, SecurityEventKind
from .permissions import COUNTY_LEVEL_ROLES, SEE_PERSONAL_DATA, TOWNSHIP_LEVEL_ROLES
from .querysets import AreaQuerySet, ScopedQuerySet, UserQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TownshipScopedModel(TimeStampedModel):
    """A row that belongs to one township (乡镇/街道) and is read through ``for_user``."""

    township = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("乡镇/街道"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AreaLevel.TOWNSHIP},
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


#: The levels that may own a county-ownable row: a township's own, or the county's beside them.
OWNER_LEVELS = (AreaLevel.TOWNSHIP, AreaLevel.COUNTY)


class CountyOwnedModel(TownshipScopedModel):
    """A row owned by a township or by the county (any level above a township) itself.

    The owner stays in the ``township`` column (so every township query, index and selector reads
    it unchanged): a county's row carries the county's ``Area``. Township figures never count it,
    because they filter on township ids; the county's own figures are read with ``[county.pk]``.
    ``for_user`` gives county users their county's rows beside the townships'; a township user
    sees a county row only when it matches ``county_published`` (a dict of lookups, e.g.
    ``{"status": "published"}``; ``None``: county rows are private to the county)."""

    township = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": OWNER_LEVELS},
    )

    county_ownable = True
    county_published: dict | None = None

    class Meta:
        abstract = True

    @property
    def is_county_row(self) -> bool:
        return bool(self.township_id) and self.township.level == AreaLevel.COUNTY

    def clean(self):
        super().clean()
        if self.township_id and self.township.level not in OWNER_LEVELS:
            raise ValidationError({"township": _("所属单位应为乡镇/街道或县/区")})


class Area(TimeStampedModel):
    """One node of the administrative tree: county → township → village.

    Codes follow the official pattern (6 digits county, 9 township, 12 village) and every
    code starts with its parent's, so a subtree is a prefix match.
    """

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="county", parent__isnull=True)
                | (models.Q(level__in=["township", "village"]) & models.Q(parent__isnull=False)),
                name="area_parent_matches_level",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def code_word(self) -> str:
        """The level word the code's own digits say (街道/镇/乡, 社区/村), else the level's label."""
        from .identifiers import township_code_word, village_code_word

        word = {AreaLevel.TOWNSHIP: township_code_word, AreaLevel.VILLAGE: village_code_word}.get(
            self.level, lambda code: None
        )(self.code or "")
        return word or str(self.get_level_display())

    @property
    def code_warning(self) -> str | None:
        """A warning when the code's digits and the name's level word disagree (统计用区划代码)."""
        from .identifiers import area_code_warning

        return area_code_warning(code=self.code, name=self.name, level=self.level)

    def clean(self):
        expected = AREA_CODE_LENGTH.get(self.level)
        if expected and (len(self.code or "") != expected or not (self.code or "").isdigit()):
            raise ValidationError(
                {"code": _("%(level)s的区划代码应为%(n)d位数字") % {"level": self.get_level_display(), "n": expected}}
            )
        parent_level = AREA_PARENT_LEVEL.get(self.level)
        if parent_level:
            if self.parent is None or self.parent.level != parent_level:
                raise ValidationError({"parent": _("上级区划层级不正确")})
            if not self.code.startswith(self.parent.code):
                raise ValidationError({"code": _("区划代码应以上级代码开头")})
        elif self.parent_id:
            raise ValidationError({"parent": _("县/区没有上级区划")})

    @property
    def county(self):
        node = self
        while node.parent_id:
            node = node.parent
        return node


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    def get_queryset(self):
        # request.user comes with its area (and the area's county) in the same query.
        return super().get_queryset().select_related("area", "area__parent")


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, default=Role.TOWNSHIP_STAFF)
    area = models.ForeignKey(
        Area, verbose_name=_("所属区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    objects = PortalUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role in TOWNSHIP_LEVEL_ROLES and self.area_id and self.area.level != AreaLevel.TOWNSHIP:
            raise ValidationError({"area": _("该角色必须属于一个乡镇/街道")})
        if self.role in COUNTY_LEVEL_ROLES and self.area_id and self.area.level != AreaLevel.COUNTY:
            raise ValidationError({"area": _("该角色必须属于一个县/区")})

    @property
    def is_county_level(self) -> bool:
        return self.role in COUNTY_LEVEL_ROLES and self.area_id is not None

    @property
    def is_township_level(self) -> bool:
        return self.role in TOWNSHIP_LEVEL_ROLES and self.area_id is not None

    @property
    def township(self):
        return self.area if self.is_township_level else None

    @property
    def county(self):
        if not self.area_id:
            return None
        return self.area if self.area.level == AreaLevel.COUNTY else self.area.parent

    @property
    def can_see_personal_data(self) -> bool:
        return self.role in SEE_PERSONAL_DATA


class SecurityEvent(models.Model):
    """Logins, failures, lockouts and password changes (the audit of who came in)."""

    kind = models.CharField(_("事件"), max_length=20, choices=SecurityEventKind.choices)
    username = models.CharField(_("用户名"), max_length=150)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="security_events")
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")

    def __str__(self):
        return f"{self.get_kind_display()} {self.username}"


auditlog.register(Area)
auditlog.register(User, exclude_fields=["password", "last_login"])
from .records.models import ImportedRow, ImportJob, ImportRejection  # noqa: E402,F401


class SubmissionToken(models.Model):
    """A form submission already taken: the one-time token a form carries (``{% once_token %}``,
    or added by static/js/forms.js), so a double click or a resubmitted POST saves once
    (``safecommunity.middleware.OnceTokenMiddleware``)."""

    token = models.CharField(_("令牌"), max_length=100, unique=True)
    path = models.CharField(_("地址"), max_length=300)
    result_url = models.CharField(_("结果地址"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")

    def __str__(self):
        return self.token
