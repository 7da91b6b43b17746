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
    RAILWAY = "railway", _("铁路交通")
    AVIATION = "aviation", _("民航")
    FISHING = "fishing", _("渔业船舶")
    OTHER = "other", _("其他")


# 493号令 article 13: a change of the casualty figures within 30 days of the accident (7 days for
# road traffic and fire accidents) is reported as 补报; article 9: the unit reports within 1 hour.
REVISION_WINDOW_DAYS = {Domain.ROAD: 7, Domain.FIRE: 7}
REVISION_WINDOW_DEFAULT_DAYS = 30
REPORT_WINDOW_HOURS = 1


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


# --- The national injury surveillance card (全国伤害监测报告卡) -----------------------------------
# Every coded field keeps the card's own numbers (see docs/domain.md for the source of each list);
# two-box fields (职业, 伤害发生原因, 地点, 活动) are stored zero-padded ("01" … "14"). ``CARD_CODES``
# gives the card's number of the few lists stored otherwise, ``CARD_ALIASES`` the other spellings
# a ledger or an older card uses; the import reads a cell by code, by label or by alias.


class Sex(models.TextChoices):
    """Stored as M/F (ID numbers and project indicators use them); the card codes 1 男, 2 女."""

    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Residence(models.TextChoices):
    """户籍 on the card."""

    LOCAL = "1", _("本市/县")
    PROVINCE = "2", _("本省外地")
    OTHER_PROVINCE = "3", _("外省")
    ABROAD = "4", _("外籍")


class Education(models.TextChoices):
    """文化程度 on the card."""

    PRESCHOOL = "1", _("未上学儿童")
    ILLITERATE = "2", _("文盲、半文盲")
    PRIMARY = "3", _("小学")
    JUNIOR = "4", _("初中")
    SENIOR = "5", _("高中或中专")
    COLLEGE = "6", _("大专")
    UNIVERSITY = "7", _("大学及以上")


class Occupation(models.TextChoices):
    """职业 on the card."""

    CHILD = "01", _("学龄前儿童")
    STUDENT = "02", _("在校学生")
    HOUSEWORK = "03", _("家务")
    UNEMPLOYED = "04", _("待业")
    RETIRED = "05", _("离退休人员")
    PROFESSIONAL = "06", _("专业技术人员")
    OFFICE = "07", _("办事人员和有关人员")
    COMMERCE = "08", _("商业、服务业人员")
    FARMER = "09", _("农牧渔水利业生产人员")
    WORKER = "10", _("生产运输设备操作人员及有关人员")
    SOLDIER = "11", _("军人")
    OTHER = "12", _("其他")


class Cause(models.TextChoices):
    """伤害发生原因 on the card."""

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
    OTHER = "13", _("其他")
    UNKNOWN = "14", _("不清楚")


TRAFFIC_CAUSES = frozenset({Cause.MOTOR_VEHICLE, Cause.NON_MOTOR_VEHICLE})
WHOLE_BODY_CAUSES = frozenset({Cause.SUFFOCATION, Cause.DROWNING, Cause.POISONING})


class Place(models.TextChoices):
    """伤害发生地点 on the card."""

    HOME = "01", _("家中")
    PUBLIC_RESIDENCE = "02", _("公共居住场所")
    SCHOOL_PUBLIC = "03", _("学校与公共场所")
    SPORTS = "04", _("体育和运动场所")
    ROAD = "05", _("公路/街道")
    TRADE = "06", _("贸易和服务场所")
    INDUSTRY = "07", _("工业和建筑场所")
    FARM = "08", _("农场/农田")
    OTHER = "09", _("其他")
    UNKNOWN = "10", _("不清楚")


class Activity(models.TextChoices):
    """伤害发生时活动 on the card."""

    WORK = "01", _("工作")
    HOUSEWORK = "02", _("家务")
    STUDY = "03", _("学习")
    SPORTS = "04", _("体育活动")
    LEISURE = "05", _("休闲活动")
    VITAL = "06", _("生命活动")
    DRIVING = "07", _("驾乘交通工具")
    WALKING = "08", _("步行")
    OTHER = "09", _("其他")
    UNKNOWN = "10", _("不清楚")


TRAFFIC_ACTIVITIES = frozenset({Activity.DRIVING, Activity.WALKING})


class Intent(models.TextChoices):
    """是否故意 on the card."""

    UNINTENTIONAL = "1", _("非故意")
    SELF_HARM = "2", _("自残/自杀")
    ASSAULT = "3", _("故意/暴力")
    UNKNOWN = "4", _("不清楚")
    OTHER = "5", _("其他")


class Alcohol(models.TextChoices):
    """是否饮酒 on the card."""

    YES = "1", _("饮用")
    NO = "2", _("未饮用")
    UNKNOWN = "3", _("不清楚")


class Nature(models.TextChoices):
    """伤害性质 on the card."""

    FRACTURE = "1", _("骨折")
    SPRAIN = "2", _("扭伤/拉伤")
    OPEN_WOUND = "3", _("锐器伤/咬伤/开放伤")
    BRUISE = "4", _("挫伤/擦伤")
    BURN = "5", _("烧烫伤")
    CONCUSSION = "6", _("脑震荡/脑挫裂伤")
    ORGAN = "7", _("内脏器官伤")
    OTHER = "8", _("其他")
    UNKNOWN = "9", _("不清楚")


class BodyPart(models.TextChoices):
    """伤害部位 on the card."""

    HEAD = "1", _("头部")
    UPPER_LIMB = "2", _("上肢")
    LOWER_LIMB = "3", _("下肢")
    TRUNK = "4", _("躯干")
    MULTIPLE = "5", _("多部位")
    WHOLE_BODY = "6", _("全身广泛受伤")
    OTHER = "7", _("其他")
    UNKNOWN = "8", _("不清楚")


class Severity(models.TextChoices):
    """伤害严重程度 on the card (轻度/中度/重度)."""

    MILD = "1", _("轻")
    MODERATE = "2", _("中")
    SEVERE = "3", _("重")


class Outcome(models.TextChoices):
    """伤害结局 on the card: 1 处理后离院, 2 留观, 3 转院, 4 住院, 5 死亡, 6 其他 (the codes of the CDC's
    export; see docs/domain.md)."""

    DISCHARGED = "1", _("处理后离院")
    OBSERVED = "2", _("留观")
    TRANSFERRED = "3", _("转院")
    HOSPITALISED = "4", _("住院")
    DIED = "5", _("死亡")
    OTHER = "6", _("其他")


# The card's number of a list stored otherwise.
CARD_CODES = {Sex: {"1": Sex.MALE, "2": Sex.FEMALE}}

# Other spellings of the card's entries: the card's own punctuation and long forms, the labels
# of this portal's earlier lists, and common ledger words.
CARD_ALIASES = {
    Sex: {"男性": Sex.MALE, "女性": Sex.FEMALE, "M": Sex.MALE, "F": Sex.FEMALE},
    Residence: {
        "本地": Residence.LOCAL,
        "本市": Residence.LOCAL,
        "本县": Residence.LOCAL,
        "本市县": Residence.LOCAL,
        "境外": Residence.ABROAD,
        "local": Residence.LOCAL,
        "province": Residence.PROVINCE,
        "other_province": Residence.OTHER_PROVINCE,
        "abroad": Residence.ABROAD,
    },
    Education: {
        "文盲半文盲": Education.ILLITERATE,
        "文盲": Education.ILLITERATE,
        "高中": Education.SENIOR,
        "中专": Education.SENIOR,
        "大学": Education.UNIVERSITY,
        "大学及以上学历": Education.UNIVERSITY,
    },
    Occupation: {
        "无业人员": Occupation.UNEMPLOYED,
        "无业": Occupation.UNEMPLOYED,
        "农民": Occupation.FARMER,
        "办事人员": Occupation.OFFICE,
        "生产运输设备操作人员": Occupation.WORKER,
        "商业服务业人员": Occupation.COMMERCE,
        "离退休": Occupation.RETIRED,
        "其他/不清楚": Occupation.OTHER,
    },
    # Lists that print 其他 and 不清楚 as one entry ("其他/不清楚") read it as 其他.
    Cause: {"其他/不清楚": Cause.OTHER, "不清楚/其他": Cause.OTHER},
    Place: {"农田/农场": Place.FARM, "其他/不清楚": Place.OTHER},
    Activity: {"其他/不清楚": Activity.OTHER},
    Intent: {
        "非故意（意外事故）": Intent.UNINTENTIONAL,
        "非故意(意外事故)": Intent.UNINTENTIONAL,
        "意外事故": Intent.UNINTENTIONAL,
        "故意（暴力、攻击）": Intent.ASSAULT,
        "故意(暴力、攻击)": Intent.ASSAULT,
        "故意": Intent.ASSAULT,
        "自残": Intent.SELF_HARM,
        "自杀": Intent.SELF_HARM,
    },
    Nature: {
        "锐器伤、咬伤、开放伤": Nature.OPEN_WOUND,
        "挫伤、擦伤": Nature.BRUISE,
        "脑震荡、脑挫裂伤": Nature.CONCUSSION,
        "其他/不清楚": Nature.OTHER,
    },
    BodyPart: {"其他/不清楚": BodyPart.OTHER},
    Severity: {"轻度": Severity.MILD, "中度": Severity.MODERATE, "重度": Severity.SEVERE},
    Outcome: {"离院": Outcome.DISCHARGED, "留院观察": Outcome.OBSERVED, "观察": Outcome.OBSERVED},
}


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
