from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    COUNTY = "county", _("县/区")
    TOWNSHIP = "township", _("乡镇/街道")
    VILLAGE = "village", _("村/社区")


# Length of the official-style code at each level of the tree.
AREA_CODE_LENGTH = {AreaLevel.COUNTY: 6, AreaLevel.TOWNSHIP: 9, AreaLevel.VILLAGE: 12}
AREA_PARENT_LEVEL = {AreaLevel.TOWNSHIP: AreaLevel.COUNTY, AreaLevel.VILLAGE: AreaLevel.TOWNSHIP}


class Role(models.TextChoices):
    TOWNSHIP_STAFF = "township_staff", _("乡镇安监人员")
    GRID_INSPECTOR = "grid_inspector", _("网格员")
    COMMITTEE_MEMBER = "committee_member", _("促进委员会成员")
    COUNTY_SUPERVISOR = "county_supervisor", _("县级监管人员")
    ADMINISTRATOR = "administrator", _("系统管理员")


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    UNLOCKED = "unlocked", _("账号解锁")
