from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    EDITED = "edited", _("已编辑")
    PUBLISHED = "published", _("已发布")


class BriefingKind(models.TextChoices):
    """The monthly issue, or a special issue beside it (numbered in its own series per owner)."""

    MONTHLY = "monthly", _("月度简报")
    SPECIAL = "special", _("专刊")
    SUPPLEMENT = "supplement", _("增刊")


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RENDERING = "rendering", _("生成中")
    READY = "ready", _("已完成")
    FAILED = "failed", _("失败")


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("评分中")
    FINALISED = "finalised", _("已定稿")


class AssessmentResult(models.TextChoices):
    PASS = "pass", _("通过")
    RECTIFY = "rectify", _("限期整改")
    FAIL = "fail", _("不通过")


class CriterionMode(models.TextChoices):
    """How a leaf criterion is scored."""

    PARTS = "parts", _("分项评级")  # content/evidence/effect each graded a/b/c/d
    POINTS = "points", _("直接打分")  # 0..points entered by the supervisor
    COMPUTED = "computed", _("数据计算")  # filled in from the other apps' selectors


class DocumentKind(models.TextChoices):
    BRIEFING = "briefing", _("简报")
    SCORECARD = "scorecard", _("考核评分表")
    COUNTY_SUMMARY = "county_summary", _("县级考核汇总")
    MINUTES = "minutes", _("会议纪要")
    NOTICE = "notice", _("通知")


# a = 100 %, b = 70 % (minor defects), c = 30 % (major defects), d = 0 (missing or falsified)
DEFAULT_GRADE_SCALE = {"a": "1", "b": "0.7", "c": "0.3", "d": "0"}
GRADE_LABELS = {"a": _("a 完整"), "b": _("b 轻微缺陷"), "c": _("c 严重缺陷"), "d": _("d 缺失")}
