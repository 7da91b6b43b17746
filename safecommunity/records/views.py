"""Import pages: upload, job progress, rejects and template downloads, all scoped."""

import csv
import json
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, View

from safecommunity.downloads import attachment_header, safe_filename
from safecommunity.exceptions import ApplicationError
from safecommunity.mixins import ScopedAccessMixin
from safecommunity.permissions import EDIT_TOWNSHIP

from .forms import ImportUploadForm
from .importer import reject_columns, reject_csv_header, reject_csv_row
from .models import ImportJob
from .registry import get_kind
from .services import import_job_create, import_job_retry
from .writing import template_response


class KindMixin:
    def get_kind(self):
        try:
            return get_kind(self.kwargs["kind"])
        except KeyError:
            raise Http404 from None


class ImportCreateView(ScopedAccessMixin, KindMixin, FormView):
    """Upload a file of one kind into the user's own township."""

    allowed_roles = EDIT_TOWNSHIP
    form_class = ImportUploadForm
    template_name = "safecommunity/imports/import_form.html"

    def get_allowed_roles(self):
        return self.get_kind().import_roles

    def get_context_data(self, **kwargs):
        kind = self.get_kind()
        from .cells import choice_labels
        from .writing import column_example

        columns = [
            {
                "header": c.header,
                "required": c.required,
                "help_text": c.help_text,
                "example": column_example(c),
                "choices": choice_labels(c.parser),
            }
            for c in kind.columns
        ]
        return super().get_context_data(kind=kind, columns=columns, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        if user.township is None:
            raise Http404
        try:
            job = import_job_create(
                kind=self.get_kind().name, township=user.township, user=user, upload=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            return self.form_invalid(form)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportDetailView(ScopedAccessMixin, DetailView):
    model = ImportJob
    template_name = "safecommunity/imports/import_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        context["can_see_rejects"] = context["can_retry_here"] = self.request.user.role in EDIT_TOWNSHIP
        if job.is_finished and context["can_see_rejects"]:
            page = Paginator(job.rejections.order_by("id"), 50).get_page(self.request.GET.get("page"))
            kind = _kind_or_none(job.kind)
            for rejection in page.object_list:
                rejection.columns = "、".join(reject_columns(kind, rejection.reason)) if kind else ""
            context["rejections"] = page
        return context


def _kind_or_none(name):
    try:
        return get_kind(name)
    except KeyError:
        return None


class ImportProgressView(ImportDetailView):
    """The progress bar alone, polled by htmx every second until the job is finished."""

    template_name = "safecommunity/imports/_progress.html"

    def get_context_data(self, **kwargs):
        context = DetailView.get_context_data(self, **kwargs)
        context["can_see_rejects"] = context["can_retry_here"] = self.request.user.role in EDIT_TOWNSHIP
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.object.is_finished:
            response["HX-Refresh"] = "true"  # the whole page, with the rejected rows, once it is done
        return response


class ImportRetryView(ScopedAccessMixin, View):
    """POST: resume a failed or stalled job after its last committed batch."""

    allowed_roles = EDIT_TOWNSHIP
    http_method_names = ["post"]

    def post(self, request, pk):
        job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        try:
            import_job_retry(job=job, user=request.user)
        except ApplicationError as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, _("已重新开始，将从中断处继续；已导入的行不会重复导入"))
        return HttpResponseRedirect(job.get_absolute_url())


class ImportRejectsView(ScopedAccessMixin, View):
    """The rejected rows repeat the file's cells unmasked (names, ID numbers): only the township
    staff who import may fetch them."""

    allowed_roles = EDIT_TOWNSHIP

    def get(self, request, pk):
        job = ImportJob.objects.for_user(request.user).filter(pk=pk).first()
        if job is None:
            raise Http404
        stem = Path(job.original_name).stem or "import"
        if not job.rejections.exists():
            if not job.reject_file:  # jobs from before rejected rows were kept in the database
                raise Http404
            return FileResponse(
                job.reject_file.open("rb"),
                as_attachment=True,
                filename=safe_filename(f"{stem}.rejected.csv"),
                content_type="text/csv; charset=utf-8",
            )
        headers = json.loads(job.headers or "[]")
        response = StreamingHttpResponse(_reject_lines(job, headers), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment_header(f"{stem}.rejected.csv")
        response["Cache-Control"] = "no-store"
        return response


class _Echo:
    def write(self, value):
        return value


def _reject_lines(job, headers):
    """The rejected rows as CSV, streamed (a file of a million bad rows stays small in memory)."""
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(reject_csv_header(headers))).encode("utf-8")
    rows = job.rejections.order_by("id").values_list("sheet", "row_no", "cells", "reason").iterator(chunk_size=2000)
    width = len(headers)
    for sheet, row_no, cells, reason in rows:
        yield writer.writerow(reject_csv_row(width, sheet, row_no, json.loads(cells or "[]"), reason)).encode("utf-8")


class ImportTemplateView(ScopedAccessMixin, KindMixin, View):
    def get(self, request, kind):
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in ("xlsx", "csv"):
            raise Http404(_("不支持的格式"))
        return template_response(self.get_kind(), fmt)
