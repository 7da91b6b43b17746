from django.db import models
from django.utils.translation import gettext_lazy as _


class Rank(models.TextChoices):
    COUNTY = "county", _("县级")
    SECTION = "section", _("科级")


class Side(models.TextChoices):
    """党政同责: party and government leaders carry the same duty; 一岗双责: every post its own."""

    PARTY = "party", _("党委")
    GOVERNMENT = "government", _("政府")
    DEPARTMENT = "department", _("部门")


class Frequency(models.TextChoices):
    MONTH = "month", _("每月一次")
    HALF_MONTH = "half_month", _("每半月一次")


# The required frequency of grassroots check-ins per rank (县级每月一次, 科级每半月一次).
REQUIRED_FREQUENCY = {Rank.COUNTY: Frequency.MONTH, Rank.SECTION: Frequency.HALF_MONTH}


class IssuanceKind(models.TextChoices):
    GOVERNMENT_MANUAL = "government_manual", _("政府工作手册")
    ENTERPRISE_MANUAL = "enterprise_manual", _("企业工作手册")
    RESPONSIBILITY_LETTER = "responsibility_letter", _("安全生产责任书")


MANUAL_KINDS = (IssuanceKind.GOVERNMENT_MANUAL, IssuanceKind.ENTERPRISE_MANUAL)
