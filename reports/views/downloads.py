from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safecommunity.exceptions import ApplicationError
from safecommunity.mixins import require_roles
from safecommunity.permissions import READ_LEDGERS

from .. import services
from ..choices import DocumentKind, RenderStatus
from ..models import DownloadJob
from .common import pdf_attachment


@login_required
def download_list(request):
    require_roles(request.user, READ_LEDGERS)
    jobs = DownloadJob.objects.for_user(request.user).select_related("township")[:100]
    pending = any(j.status in (RenderStatus.QUEUED, RenderStatus.RENDERING) for j in jobs)
    from closing.models import MonthPackage  # the month-end packages show here too

    packages = list(MonthPackage.objects.for_user(request.user).select_related("area")[:50])
    pending = pending or any(p.status in (RenderStatus.QUEUED, RenderStatus.RENDERING) for p in packages)
    return render(request, "reports/download_list.html", {"jobs": jobs, "pending": pending, "packages": packages})


@login_required
@require_POST
def download_request(request):
    require_roles(request.user, READ_LEDGERS)
    kind = request.POST.get("kind", "")
    try:
        object_id = int(request.POST.get("object_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    if kind not in DocumentKind.values:
        raise Http404
    try:
        services.download_request(user=request.user, kind=kind, object_id=object_id)
        messages.success(request, _("已加入下载中心，生成后即可下载"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("reports:download_list")


@login_required
@require_POST
def download_retry(request, pk):
    require_roles(request.user, READ_LEDGERS)
    job = get_object_or_404(DownloadJob.objects.for_user(request.user), pk=pk)
    services.download_retry(job=job, user=request.user)
    return redirect("reports:download_list")


@login_required
def download_file(request, pk):
    """Files leave only through here: the user's own job, still in scope, ready, as an attachment."""
    require_roles(request.user, READ_LEDGERS)
    job = get_object_or_404(DownloadJob.objects.for_user(request.user), pk=pk, status=RenderStatus.READY)
    if not job.file or not default_storage.exists(job.file.name):
        raise Http404
    with default_storage.open(job.file.name, "rb") as fh:
        return pdf_attachment(fh.read(), job.filename)
