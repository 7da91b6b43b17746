from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalDimension(models.TextChoices):
    VILLAGE = "village", _("村/社区")
    CAUSE = "cause", _("伤害原因")
    AGE_BAND = "age_band", _("年龄组")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACTED = "acted", _("已列入议程")
    DISMISSED = "dismissed", _("已排除")
