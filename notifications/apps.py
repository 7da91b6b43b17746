from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from . import jobs

        jobs.connect()  # the job-run log of the other apps' scheduled tasks
