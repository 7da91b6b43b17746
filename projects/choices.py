from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectDomain(models.TextChoices):
    TRAFFIC = "traffic", _("交通安全")
    FIRE = "fire", _("消防安全")
    ELECTRICITY = "electricity", _("用电安全")
    HOME = "home", _("居家安全")
    ELDERLY_FALLS = "elderly_falls", _("老年人防跌倒")
    SCHOOL = "school", _("学校与儿童安全")
    WATER = "water", _("涉水安全/防溺水")
    PESTICIDE = "pesticide", _("防农药中毒")
    DOG_BITE = "dog_bite", _("防狗伤害")
    FARM_MACHINERY = "farm_machinery", _("防农用机械伤害")
    MIGRANT_WORKERS = "migrant_workers", _("农民工安全")
    PUBLIC_PLACES = "public_places", _("公共场所安全")
    ENTERPRISE = "enterprise", _("企业安全")
    CONSTRUCTION = "construction", _("建筑工地安全")
    PUBLIC_ORDER = "public_order", _("社会治安")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("实施中")
    COMPLETED = "completed", _("已完成")
    SUSPENDED = "suspended", _("已暂停")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("文件")
    PHOTO = "photo", _("照片")
    MINUTES = "minutes", _("会议纪要")
    RECORD = "record", _("工作记录")
    SCAN = "scan", _("签字扫描件")
