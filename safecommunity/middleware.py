"""Request-wide middleware of the portal."""

from django.contrib import messages
from django.utils.translation import gettext as _

from . import queue


class BrokerNoticeMiddleware:
    """When work of this request could not be handed to the broker (``safecommunity.queue``), the
    user is told it is saved and will continue by itself. Listed after MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queue.reset()
        response = self.get_response(request)
        if queue.broker_failed() and hasattr(request, "_messages"):
            messages.warning(request, _("后台任务暂不可用，任务已保存，将自动继续"))
        queue.reset()
        return response
