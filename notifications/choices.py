"""Kinds of notification, channels and the states of a send."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    HAZARD_ASSIGNED = "hazard_assigned", _("隐患整改指派")
    HAZARD_DUE_SOON = "hazard_due_soon", _("隐患整改即将到期")
    HAZARD_OVERDUE = "hazard_overdue", _("隐患整改逾期")
    HAZARD_ESCALATED = "hazard_escalated", _("隐患逾期升级")
    ACTION_ASSIGNED = "action_assigned", _("督办事项分配")
    ACTION_ESCALATED = "action_escalated", _("督办事项逾期升级")
    MONTH_SUBMITTED = "month_submitted", _("月度数据报送")
    MONTH_RETURNED = "month_returned", _("月度数据退回")


#: The text of each kind; ``Notification.params`` fills it in the reader's language.
TEXTS = {
    Kind.HAZARD_ASSIGNED: _("隐患%(number)s（%(entity)s）指定您为整改责任人，整改期限%(deadline)s"),
    Kind.HAZARD_DUE_SOON: _("隐患%(number)s（%(entity)s）将于%(deadline)s到期，请按期完成整改"),
    Kind.HAZARD_OVERDUE: _("隐患%(number)s（%(entity)s）已逾期%(days)s天，请尽快整改"),
    Kind.HAZARD_ESCALATED: _("隐患%(number)s（%(entity)s）已逾期%(days)s天，已升级"),
    Kind.ACTION_ASSIGNED: _("您被指定为督办事项“%(title)s”的责任人，完成期限%(due)s"),
    Kind.ACTION_ESCALATED: _("督办事项“%(title)s”（责任人%(owner)s）已逾期%(days)s天，请组长督办"),
    Kind.MONTH_SUBMITTED: _("%(township)s已报送%(month)s月度数据，请审核"),
    Kind.MONTH_RETURNED: _("%(township)s的%(month)s月度数据被退回：%(reason)s"),
}

#: Escalations: at most one a day per item and recipient (the dedupe key carries the day).
ESCALATION_KINDS = frozenset({Kind.HAZARD_OVERDUE, Kind.HAZARD_ESCALATED, Kind.ACTION_ESCALATED})


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内消息")
    EMAIL = "email", _("邮件")
    BOT = "bot", _("群机器人/短信")


class EmailMode(models.TextChoices):
    OFF = "off", _("不发送")
    INSTANT = "instant", _("每条即发")
    DIGEST = "digest", _("每日汇总")


class Adapter(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    SMS = "sms", _("短信网关(HTTP)")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class JobStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    OK = "ok", _("成功")
    FAILED = "failed", _("失败")
