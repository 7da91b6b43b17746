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


ONCE_FIELD = "_once"


class OnceTokenMiddleware:
    """A POST carrying a one-time token (``_once``) is handled once. The token is recorded before
    the view runs (its own commit, under a unique constraint), so a second POST of the same form,
    even 0.3 s later while the first is still saving, is refused and redirected to the first one's
    result. A submission that did not succeed (form errors, an exception) frees its token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = request.POST.get(ONCE_FIELD, "") if request.method == "POST" else ""
        if not value:
            return self.get_response(request)
        from django.db import IntegrityError, transaction
        from django.shortcuts import redirect

        from .models import SubmissionToken

        user_id = getattr(request.user, "pk", None) or 0
        token = f"{user_id}:{value}"[:100]
        try:
            with transaction.atomic():
                row = SubmissionToken.objects.create(token=token, path=request.path[:300])
        except IntegrityError:
            prior = SubmissionToken.objects.filter(token=token).first()
            messages.info(request, _("该表单已经提交，未重复保存"))
            return redirect((prior.result_url if prior else "") or request.path)
        try:
            response = self.get_response(request)
        except BaseException:
            SubmissionToken.objects.filter(pk=row.pk).delete()
            raise
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            SubmissionToken.objects.filter(pk=row.pk).update(result_url=response["Location"][:300])
        else:
            SubmissionToken.objects.filter(pk=row.pk).delete()
        return response
