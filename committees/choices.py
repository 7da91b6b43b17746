from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityType(models.TextChoices):
    URBAN = "urban", _("城市型")
    RURAL = "rural", _("农村型")
    PARK = "park", _("园区型")
    ENTERPRISE = "enterprise", _("企业型")


class DesignationLevel(models.TextChoices):
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")
    INTERNATIONAL = "international", _("国际")


class Stage(models.TextChoices):
    LAUNCH = "launch", _("启动")
    BUILD = "build", _("创建")
    SELF_ASSESS = "self_assess", _("自评")
    APPLY = "apply", _("申报")
    ASSESS = "assess", _("评定")
    NAMED = "named", _("命名")
    IMPROVE = "improve", _("持续改进/复评")


class Position(models.TextChoices):
    CHAIR = "chair", _("主任")
    EXECUTIVE_VICE_CHAIR = "executive_vice_chair", _("常务副主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")
    MEMBER = "member", _("成员")


# Display order of the committee page: chair first, ordinary members last.
POSITION_ORDER = {p: i for i, p in enumerate(Position)}


class LocalRoleKind(models.TextChoices):
    INFORMANT = "informant", _("信息员")
    ASSISTANT = "assistant", _("协管员")
    PATROLLER = "patroller", _("巡查员")


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("创安联席会议")
    FIRE = "fire", _("消防联席会议")
    TRAFFIC = "traffic", _("道路交通联席会议")
    TOPIC = "topic", _("专题会议")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("待办")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")


class PartyKind(models.TextChoices):
    VILLAGE = "village", _("村/社区")
    ENTERPRISE = "enterprise", _("企业")


class ActivityKind(models.TextChoices):
    PUBLICITY = "publicity", _("宣传")
    TRAINING = "training", _("培训")
    DRILL = "drill", _("应急演练")
    COMPETITION = "competition", _("知识竞赛")
    # The county's (or a township's) enforcement work, counted in the county's figures.
    JOINT_ENFORCEMENT = "joint_enforcement", _("联合执法")
    CRACKDOWN = "crackdown", _("打非治违")
