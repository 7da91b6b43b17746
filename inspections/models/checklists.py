from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..kinds import entity_kind_choices


class ChecklistTemplate(models.Model):
    """One version of a county's checklist for a kind of entity. Editing makes a new version;
    an inspection keeps the version it used."""

    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    kind = models.CharField(_("场所类别"), max_length=30, choices=entity_kind_choices)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=200)
    is_current = models.BooleanField(_("当前版本"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["county", "kind", "-version"]
        verbose_name = _("检查表")
        verbose_name_plural = _("检查表")
        constraints = [
            models.UniqueConstraint(fields=["county", "kind", "version"], name="checklist_version_unique"),
            models.UniqueConstraint(
                fields=["county", "kind"], condition=models.Q(is_current=True), name="checklist_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"


class ChecklistItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="items"
    )
    category = models.CharField(_("类别"), max_length=100)
    text = models.CharField(_("检查内容"), max_length=500)
    legal_basis = models.CharField(_("法律依据"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("序号"), default=0)

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")

    def __str__(self):
        return self.text
