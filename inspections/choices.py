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


class SupervisionClass(models.TextChoices):
    """A-D; what each class means is configured per county (``SupervisionClassDefinition``)."""

    A = "A", _("A类")
    B = "B", _("B类")
    C = "C", _("C类")
    D = "D", _("D类")


# The class an entity with a fatal accident or three serious injuries in a year is flagged for.
WORST_CLASS = SupervisionClass.A
# Typical intervals (days) when the county has configured nothing.
DEFAULT_INTERVAL_DAYS = {SupervisionClass.A: 7, SupervisionClass.B: 30, SupervisionClass.C: 60, SupervisionClass.D: 90}


class ItemResult(models.TextChoices):
    CONFORM = "conform", _("符合")
    NONCONFORM = "nonconform", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class Rating(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


# Two of these in a row: the entity's head is summoned (约谈).
SUMMONS_RATINGS = frozenset({Rating.AVERAGE, Rating.POOR})


class InspectionMode(models.TextChoices):
    ANNOUNCED = "announced", _("事先通知")
    UNANNOUNCED = "unannounced", _("四不两直(暗查暗访)")


class JointAgency(models.TextChoices):
    POLICE = "police", _("公安")
    FIRE = "fire", _("消防")
    TRAFFIC = "traffic", _("交通")


class HazardStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    RECTIFYING = "rectifying", _("整改中")
    PENDING_VERIFICATION = "pending", _("待验收")
    CLOSED = "closed", _("已销号")


OPEN_STATUSES = (HazardStatus.REGISTERED, HazardStatus.RECTIFYING, HazardStatus.PENDING_VERIFICATION)


class HazardAction(models.TextChoices):
    REGISTER = "register", _("登记")
    START = "start", _("开始整改")
    SUBMIT = "submit", _("提请验收")
    VERIFY_PASS = "verify_pass", _("验收通过(销号)")
    VERIFY_FAIL = "verify_fail", _("验收不通过")
    PLAN = "plan", _("整改方案")
    SUPERVISE = "supervise", _("挂牌督办")
    ESCALATE = "escalate", _("逾期升级")
    IMPORT = "import", _("台账导入")


# Allowed moves of the closed loop: action → (from statuses, to status).
TRANSITIONS = {
    HazardAction.START: ((HazardStatus.REGISTERED,), HazardStatus.RECTIFYING),
    HazardAction.SUBMIT: ((HazardStatus.RECTIFYING,), HazardStatus.PENDING_VERIFICATION),
    HazardAction.VERIFY_PASS: ((HazardStatus.PENDING_VERIFICATION,), HazardStatus.CLOSED),
    HazardAction.VERIFY_FAIL: ((HazardStatus.PENDING_VERIFICATION,), HazardStatus.RECTIFYING),
}


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("未升级")
    OWNER = 1, _("责任人")
    GRID_HEAD = 2, _("网格长")
    TOWNSHIP = 3, _("乡镇(街道)安监办")
    COUNTY = 4, _("县级监管部门")


# Days past the deadline at which each level is reached; COUNTY only for major hazards.
ESCALATION_DAYS = {
    EscalationLevel.OWNER: 1,
    EscalationLevel.GRID_HEAD: 3,
    EscalationLevel.TOWNSHIP: 7,
    EscalationLevel.COUNTY: 7,
}


class EnforcementKind(models.TextChoices):
    ORDER_RECTIFY = "order_rectify", _("责令整改")
    SUSPEND = "suspend", _("停产整改")
    PENALTY = "penalty", _("行政处罚")
    PROPOSE_CLOSURE = "propose_closure", _("提请关闭")


class ReinspectionConclusion(models.TextChoices):
    RECTIFIED = "rectified", _("已按要求整改完毕")
    NOT_RECTIFIED = "not_rectified", _("未按要求整改，依法处理")


# Kinds of notice a 整改复查意见书 may follow.
REINSPECTED_KINDS = (EnforcementKind.ORDER_RECTIFY, EnforcementKind.SUSPEND)


class ThreeColour(models.TextChoices):
    """The 三色 rating of an enterprise from its periodic 评定, beside the 四色 risk class."""

    GREEN = "green", _("绿(好)")
    YELLOW = "yellow", _("黄(一般)")
    RED = "red", _("红(差)")


# Two 一般 (黄) ratings in a row: the enterprise's head is summoned (约谈).
COLOUR_SUMMONS = ThreeColour.YELLOW


class PlaceKind(models.TextChoices):
    ROAD_SECTION = "road_section", _("道路路段")
    FIRE_LANE = "fire_lane", _("消防通道")
    PUBLIC_PLACE = "public_place", _("公共场所")
    SCHOOL_SURROUNDS = "school_surrounds", _("校园周边")
    VILLAGE = "village", _("村庄")
    OTHER = "other", _("其他")
