from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from . import jobs

        jobs.connect()  # the job-run log of the other apps' scheduled tasks
        from django.apps import apps

        if apps.is_installed("closing"):  # the monthly close tells the county and the township
            from closing import signals

            from .services import on_month_returned, on_month_submitted

            signals.month_submitted.connect(on_month_submitted, dispatch_uid="notifications.month_submitted")
            signals.month_returned.connect(on_month_returned, dispatch_uid="notifications.month_returned")
