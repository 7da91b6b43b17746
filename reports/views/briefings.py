from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safecommunity.exceptions import ApplicationError
from safecommunity.generic import (
    FilteredListView,
    ObjectDetailView,
    ObjectUpdateView,
    add_service_errors,
    scoped_action,
    writable_object,
)
from safecommunity.mixins import require_roles
from safecommunity.permissions import EDIT_OWN_UNIT, EDIT_TOWNSHIP, READ_COMMITTEE_WORK

from .. import services
from ..choices import BriefingKind, RenderStatus
from ..documents import PublishedFileError, briefing_html, briefing_pdf_bytes
from ..filters import BriefingFilterSet
from ..forms import BriefingForm, BriefingGenerateForm, article_formset, formset_articles
from ..models import Briefing
from ..selectors import briefing_charts, briefing_data_changed
from ..tables import BriefingTable
from .common import pdf_attachment


def _enqueue_render(briefing):
    from safecommunity import queue

    from ..tasks import briefing_render

    queue.enqueue_on_commit(briefing_render, briefing.pk)


class BriefingListView(FilteredListView):
    model = Briefing
    table_class = BriefingTable
    filterset_class = BriefingFilterSet
    allowed_roles = READ_COMMITTEE_WORK
    template_name = "reports/briefing_list.html"
    title = gettext_lazy("月度简报")
    page_domains = ("briefings",)  # the briefings (reports/models), townships by generation

    def get_queryset(self):
        return super().get_queryset().select_related("township")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_generate"] = services.user_may_write_for(user, user.area_id)
        ctx["generate_form"] = BriefingGenerateForm(auto_id="generate_%s")  # ids apart from the filter's
        return ctx


class BriefingDetailView(ObjectDetailView):
    model = Briefing
    allowed_roles = READ_COMMITTEE_WORK
    template_name = "reports/briefing_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "published_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        b = self.object
        same_issue = (
            {"year": b.year, "month": b.month} if b.is_monthly else {"year": b.year, "number_in_year": b.number_in_year}
        )
        ctx.update(
            can_edit=services.user_may_write_for(self.request.user, b.township_id),
            charts=briefing_charts(b.snapshot),
            data_changed=briefing_data_changed(b),
            versions=Briefing.objects.filter(township=b.township, kind=b.kind, **same_issue).order_by("version"),
        )
        return ctx


class BriefingUpdateView(ObjectUpdateView):
    """The briefing editor: 编者按, any number of articles (added, reordered and removed in the
    page, static/js/article-editor.js), the 报/送/发 block and the print count."""

    model = Briefing
    form_class = BriefingForm
    allowed_roles = EDIT_OWN_UNIT
    template_name = "reports/briefing_form.html"

    def get_queryset(self):
        return super().get_queryset().exclude(status="published")

    def get_object(self, queryset=None):
        return writable_object(self.request.user, self.get_queryset(), self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("articles", article_formset(self.object))
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        # A post without the article editor (its management form) leaves the articles as they are.
        with_articles = "articles-TOTAL_FORMS" in request.POST
        articles = article_formset(self.object, request.POST if with_articles else None)
        if not (form.is_valid() and (not with_articles or articles.is_valid())):
            return self.render_to_response(self.get_context_data(form=form, articles=articles))
        try:
            briefing = services.briefing_update(
                briefing=self.object,
                user=request.user,
                articles=formset_articles(articles, self.object) if with_articles else None,
                **form.cleaned_data,
            )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, articles=articles))
        _enqueue_render(briefing)
        messages.success(request, self.success_message)
        return redirect(briefing)


@login_required
@require_POST
def briefing_generate(request):
    """The month's issue (its sections read from the data), or a new 专刊/增刊 (articles only), of
    the user's own unit: a township's staff their township's, the county office the county's."""
    require_roles(request.user, EDIT_OWN_UNIT)
    if not services.user_may_write_for(request.user, request.user.area_id):
        raise PermissionDenied
    form = BriefingGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("reports:briefing_list")
    if form.cleaned_data["kind"] != BriefingKind.MONTHLY:
        try:
            special = services.briefing_create_special(
                owner=request.user.area,
                user=request.user,
                kind=form.cleaned_data["kind"],
                subject=form.cleaned_data["subject"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("reports:briefing_list")
        messages.success(request, _("已新建%(k)s，请编写文章") % {"k": special.get_kind_display()})
        return redirect("reports:briefing_update", special.pk)
    period = form.cleaned_data["month"]
    with transaction.atomic():
        briefing, created = services.briefing_generate(
            township=request.user.area, year=period.start.year, month=period.start.month
        )
        if briefing.render_status in (RenderStatus.QUEUED, RenderStatus.FAILED) and not briefing.is_published:
            _enqueue_render(briefing)
    messages.success(request, _("简报已生成，PDF 正在排版") if created else _("该月简报已存在"))
    return redirect(briefing)


@scoped_action(Briefing, EDIT_TOWNSHIP, county_rows=True)
def briefing_publish(request, briefing):
    services.briefing_publish(briefing=briefing, user=request.user)
    return _("简报已发布，数据与PDF已冻结")


@scoped_action(Briefing, EDIT_TOWNSHIP, county_rows=True)
def briefing_regenerate(request, briefing):
    """Published: a new version. Draft/edited: the numbers are read again and the PDF redone."""
    if not briefing.is_monthly:
        raise ApplicationError(_("专刊/增刊没有数据部分，无需重新读取"))
    with transaction.atomic():
        new, _created = services.briefing_generate(
            township=briefing.township, year=briefing.year, month=briefing.month, new_version=True
        )
        _enqueue_render(new)
    messages.success(request, _("已重新生成"))
    return redirect(new)


@scoped_action(Briefing, EDIT_TOWNSHIP, county_rows=True)
def briefing_retry(request, briefing):
    with transaction.atomic():
        briefing = services.briefing_retry(briefing=briefing, user=request.user)
        if briefing.render_status == RenderStatus.QUEUED:
            _enqueue_render(briefing)
    return redirect(briefing)


@login_required
def briefing_status(request, pk):
    """The render progress fragment the detail page polls (htmx) while the PDF is being made."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    briefing = get_object_or_404(Briefing.objects.for_user(request.user), pk=pk)
    return render(
        request,
        "reports/_briefing_status.html",
        {"object": briefing, "can_edit": services.user_may_write_for(request.user, briefing.township_id)},
    )


@login_required
def briefing_pdf(request, pk):
    require_roles(request.user, READ_COMMITTEE_WORK)
    briefing = get_object_or_404(Briefing.objects.for_user(request.user).select_related("township"), pk=pk)
    if briefing.render_status != RenderStatus.READY or not briefing.pdf:
        raise Http404(_("PDF 尚未生成"))
    try:
        content = briefing_pdf_bytes(briefing)
    except PublishedFileError as exc:  # never a new rendering in place of the published file
        return render(
            request,
            "errors/published_file.html",
            {"status": 409, "object": briefing, "error": exc, "back_url": briefing.get_absolute_url()},
            status=409,
        )
    return pdf_attachment(content, briefing.download_name())


# The print HTML carries its own <style> (the same sheet WeasyPrint reads) and no script; it is
# shown only in this portal's own frame.
PREVIEW_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
}


@login_required
@csp(PREVIEW_CSP)
def briefing_preview(request, pk):
    """The print HTML itself (what the PDF is made from), for the preview frame: in the document's
    language (``safecommunity.pdf``), whatever the interface's."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    briefing = get_object_or_404(Briefing.objects.for_user(request.user).select_related("township"), pk=pk)
    response = HttpResponse(briefing_html(briefing))
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
