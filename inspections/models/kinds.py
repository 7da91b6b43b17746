from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityKindOption(models.Model):
    """A kind of supervised place in one county: the built-in ones (seeded, may be switched off)
    and the county's own (专业库房, 民房改出租库房 …)."""

    county = models.ForeignKey(
        "safecommunity.Area",
        verbose_name=_("县/区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
    )
    code = models.CharField(
        _("代码"),
        max_length=30,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("代码由小写字母、数字和下划线组成"))],
    )
    name = models.CharField(_("名称"), max_length=50)
    is_small_place = models.BooleanField(_("九小场所"), default=True)
    is_builtin = models.BooleanField(_("内置"), default=False, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["county", "order", "id"]
        verbose_name = _("场所类别")
        verbose_name_plural = _("场所类别")
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="entity_kind_county_code"),
            models.UniqueConstraint(fields=["county", "name"], name="entity_kind_county_name"),
        ]

    def __str__(self):
        return self.name
