"""Import pages: upload, job progress, rejects and template downloads, all scoped."""

from pathlib import Path

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, View

from safecommunity.exceptions import ApplicationError
from safecommunity.mixins import TOWNSHIP_WRITERS, ScopedAccessMixin

from .forms import ImportUploadForm
from .models import ImportJob
from .registry import get_kind
from .services import import_job_create
from .writing import template_response


class KindMixin:
    def get_kind(self):
        try:
            return get_kind(self.kwargs["kind"])
        except KeyError:
            raise Http404 from None


class ImportCreateView(ScopedAccessMixin, KindMixin, FormView):
    """Upload a file of one kind into the user's own township."""

    allowed_roles = TOWNSHIP_WRITERS
    form_class = ImportUploadForm
    template_name = "safecommunity/imports/import_form.html"

    def get_allowed_roles(self):
        return self.get_kind().import_roles

    def get_context_data(self, **kwargs):
        kind = self.get_kind()
        return super().get_context_data(kind=kind, columns=kind.columns, **kwargs)

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


class ImportProgressView(ImportDetailView):
    """The progress bar alone, polled by htmx every second until the job is finished."""

    template_name = "safecommunity/imports/_progress.html"


class ImportRejectsView(ScopedAccessMixin, View):
    """The rejected rows repeat the file's cells unmasked (names, ID numbers): only the township
    staff who import may fetch them."""

    allowed_roles = TOWNSHIP_WRITERS

    def get(self, request, pk):
        job = ImportJob.objects.for_user(request.user).filter(pk=pk).first()
        if job is None or not job.reject_file:
            raise Http404
        stem = Path(job.original_name).stem or "import"
        return FileResponse(job.reject_file.open("rb"), as_attachment=True, filename=f"{stem}.rejected.csv",
                            content_type="text/csv; charset=utf-8")


class ImportTemplateView(ScopedAccessMixin, KindMixin, View):
    def get(self, request, kind):
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in ("xlsx", "csv"):
            raise Http404(_("不支持的格式"))
        return template_response(self.get_kind(), fmt)
