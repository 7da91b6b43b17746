from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    SMALL_SCHOOL = "small_school", _("小学校/幼儿园")
    SMALL_HOSPITAL = "small_hospital", _("小医院")
    SMALL_SHOP = "small_shop", _("小商店")
    SMALL_RESTAURANT = "small_restaurant", _("小餐饮")
    SMALL_HOTEL = "small_hotel", _("小旅馆")
    SMALL_KTV = "small_ktv", _("小歌舞娱乐")
    SMALL_INTERNET_CAFE = "small_internet_cafe", _("小网吧")
    SMALL_BEAUTY_BATH = "small_beauty_bath", _("小美容洗浴")
    SMALL_WORKSHOP = "small_workshop", _("小生产加工企业")


class RiskColour(models.TextChoices):
    RED = "red", _("红(重大风险)")
    ORANGE = "orange", _("橙(较大风险)")
    YELLOW = "yellow", _("黄(一般风险)")
    BLUE = "blue", _("蓝(低风险)")
