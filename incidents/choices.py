"""Code lists of the incidents app: 493号令 grades, GB 6441-86 accident types, statistical
domains, and the national injury surveillance card (全国伤害监测报告卡)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    INDUSTRY = "industry", _("工矿商贸")
    FIRE = "fire", _("火灾")
    ROAD = "road", _("道路交通")
    WATER = "water", _("水上")
    AGRI_MACHINERY = "agri_machinery", _("农业机械")
    OTHER = "other", _("其他")


class AccidentType(models.TextChoices):
    """GB 6441-86 企业职工伤亡事故分类, in the order of the standard."""

    STRUCK_BY_OBJECT = "01", _("物体打击")
    VEHICLE = "02", _("车辆伤害")
    MACHINERY = "03", _("机械伤害")
    LIFTING = "04", _("起重伤害")
    ELECTROCUTION = "05", _("触电")
    DROWNING = "06", _("淹溺")
    SCALD = "07", _("灼烫")
    FIRE = "08", _("火灾")
    FALL_FROM_HEIGHT = "09", _("高处坠落")
    COLLAPSE = "10", _("坍塌")
    ROOF_FALL = "11", _("冒顶片帮")
    WATER_INRUSH = "12", _("透水")
    BLASTING = "13", _("放炮")
    EXPLOSIVES = "14", _("火药爆炸")
    GAS_EXPLOSION = "15", _("瓦斯爆炸")
    BOILER_EXPLOSION = "16", _("锅炉爆炸")
    VESSEL_EXPLOSION = "17", _("容器爆炸")
    OTHER_EXPLOSION = "18", _("其他爆炸")
    POISONING = "19", _("中毒和窒息")
    OTHER = "20", _("其他伤害")


class IncidentSource(models.TextChoices):
    INFORMANT = "informant", _("信息员报告")
    HOSPITAL = "hospital", _("医院")
    POLICE = "police", _("公安交警")
    ENTERPRISE = "enterprise", _("企业报告")
    OTHER = "other", _("其他")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("已报告")
    VERIFIED = "verified", _("已核实")
    CLOSED = "closed", _("已结案")


class Grade(models.TextChoices):
    """493号令 article 3, from the lowest to the highest."""

    ORDINARY = "ordinary", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    EXTRAORDINARY = "extraordinary", _("特别重大")


GRADE_ORDER = [Grade.ORDINARY, Grade.LARGER, Grade.MAJOR, Grade.EXTRAORDINARY]


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Residence(models.TextChoices):
    LOCAL = "local", _("本地")
    PROVINCE = "province", _("本省外地")
    OTHER_PROVINCE = "other_province", _("外省")
    ABROAD = "abroad", _("境外")


class Occupation(models.TextChoices):
    CHILD = "01", _("学龄前儿童")
    STUDENT = "02", _("在校学生")
    HOUSEWORK = "03", _("家务")
    RETIRED = "04", _("离退休人员")
    FARMER = "05", _("农民")
    WORKER = "06", _("生产运输设备操作人员")
    COMMERCE = "07", _("商业、服务业人员")
    OFFICE = "08", _("办事人员")
    PROFESSIONAL = "09", _("专业技术人员")
    UNEMPLOYED = "10", _("无业人员")
    OTHER = "11", _("其他")


class Cause(models.TextChoices):
    MOTOR_VEHICLE = "01", _("机动车车祸")
    NON_MOTOR_VEHICLE = "02", _("非机动车车祸")
    FALL = "03", _("跌倒/坠落")
    BLUNT = "04", _("钝器伤")
    FIREARM = "05", _("火器伤")
    SHARP = "06", _("刀/锐器伤")
    BURN = "07", _("烧烫伤")
    SUFFOCATION = "08", _("窒息/悬吊")
    DROWNING = "09", _("溺水")
    POISONING = "10", _("中毒")
    ANIMAL = "11", _("动物伤")
    SEXUAL_ASSAULT = "12", _("性侵犯")
    OTHER = "13", _("其他/不清楚")


TRAFFIC_CAUSES = frozenset({Cause.MOTOR_VEHICLE, Cause.NON_MOTOR_VEHICLE})
WHOLE_BODY_CAUSES = frozenset({Cause.SUFFOCATION, Cause.DROWNING, Cause.POISONING})


class Place(models.TextChoices):
    HOME = "01", _("家中")
    PUBLIC_RESIDENCE = "02", _("公共居住场所")
    SCHOOL_PUBLIC = "03", _("学校与公共场所")
    SPORTS = "04", _("体育和运动场所")
    ROAD = "05", _("公路/街道")
    TRADE = "06", _("贸易和服务场所")
    INDUSTRY = "07", _("工业和建筑场所")
    FARM = "08", _("农田/农场")
    OTHER = "09", _("其他")


class Activity(models.TextChoices):
    WORK = "01", _("工作")
    HOUSEWORK = "02", _("家务")
    STUDY = "03", _("学习")
    SPORTS = "04", _("体育活动")
    LEISURE = "05", _("休闲活动")
    VITAL = "06", _("生命活动")
    DRIVING = "07", _("驾乘交通工具")
    WALKING = "08", _("步行")
    OTHER = "09", _("其他")


TRAFFIC_ACTIVITIES = frozenset({Activity.DRIVING, Activity.WALKING})


class Intent(models.TextChoices):
    UNINTENTIONAL = "1", _("非故意")
    SELF_HARM = "2", _("自残/自杀")
    ASSAULT = "3", _("故意/暴力")
    UNKNOWN = "4", _("不清楚")


class Alcohol(models.TextChoices):
    YES = "1", _("饮用")
    NO = "2", _("未饮用")
    UNKNOWN = "3", _("不清楚")


class Nature(models.TextChoices):
    FRACTURE = "1", _("骨折")
    SPRAIN = "2", _("扭伤/拉伤")
    OPEN_WOUND = "3", _("锐器伤/咬伤/开放伤")
    BRUISE = "4", _("挫伤/擦伤")
    BURN = "5", _("烧烫伤")
    CONCUSSION = "6", _("脑震荡/脑挫裂伤")
    ORGAN = "7", _("内脏器官伤")
    OTHER = "8", _("其他")


class BodyPart(models.TextChoices):
    HEAD = "1", _("头部")
    UPPER_LIMB = "2", _("上肢")
    LOWER_LIMB = "3", _("下肢")
    TRUNK = "4", _("躯干")
    MULTIPLE = "5", _("多部位")
    WHOLE_BODY = "6", _("全身广泛受伤")
    OTHER = "7", _("其他")


class Severity(models.TextChoices):
    MILD = "1", _("轻")
    MODERATE = "2", _("中")
    SEVERE = "3", _("重")


class Outcome(models.TextChoices):
    DISCHARGED = "1", _("处理后离院")
    OBSERVATION = "2", _("留观")
    TRANSFERRED = "3", _("转院")
    HOSPITALISED = "4", _("住院")
    DIED = "5", _("死亡")
    OTHER = "6", _("其他")


class AgeBand(models.TextChoices):
    """Age bands of the surveillance reports (inclusive bounds)."""

    A0_4 = "0-4", _("0-4岁")
    A5_14 = "5-14", _("5-14岁")
    A15_24 = "15-24", _("15-24岁")
    A25_44 = "25-44", _("25-44岁")
    A45_64 = "45-64", _("45-64岁")
    A65 = "65+", _("65岁及以上")


AGE_BAND_BOUNDS = {
    AgeBand.A0_4: (0, 4),
    AgeBand.A5_14: (5, 14),
    AgeBand.A15_24: (15, 24),
    AgeBand.A25_44: (25, 44),
    AgeBand.A45_64: (45, 64),
    AgeBand.A65: (65, None),
}


class RateIndicator(models.TextChoices):
    GDP_DEATH = "gdp_death", _("亿元GDP生产安全事故死亡率")
    ROAD_DEATH = "road_death", _("道路交通万车死亡率")
    EMPLOYEE_DEATH = "employee_death", _("工矿商贸就业人员十万人生产安全事故死亡率")
    INJURY_INCIDENCE = "injury_incidence", _("伤害发生率(/10万)")
    INJURY_MORTALITY = "injury_mortality", _("伤害死亡率(/10万)")
