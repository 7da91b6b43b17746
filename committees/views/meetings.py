"""Meetings, attendance, minutes PDF and the action items that come out of decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safecommunity.downloads import attachment_header
from safecommunity.exceptions import ApplicationError
from safecommunity.generic import (
    TownshipCreateView,
    TownshipDetailView,
    TownshipListView,
    TownshipUpdateView,
    refusal_message,
    scoped_action,
)
from safecommunity.mixins import require_roles
from safecommunity.permissions import EDIT_TOWNSHIP, READ_COMMITTEE_WORK, UPDATE_ACTION_ITEMS

from .. import pdf, selectors, services
from ..filters import ActionItemFilterSet, MeetingFilterSet
from ..forms import ActionItemForm, ActionStatusForm, AttendanceForm, DecisionsToItemsForm, MeetingForm
from ..models import ActionItem, CommitteeMember, Meeting
from ..tables import ActionItemTable, MeetingTable


class MeetingListView(TownshipListView):
    model = Meeting
    template_name = "committees/list.html"
    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    export_kind = "meetings"
    title = gettext_lazy("会议")
    create_url_name = "committees:meeting_create"
    county_rows = True
    page_domains = ("committees",)  # the meetings and their action items; townships by name

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("township")
            .annotate(n_items=Count("action_items"))
            .order_by("-held_on", "-id")
        )


class MeetingDetailView(TownshipDetailView):
    model = Meeting
    template_name = "committees/meeting_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "chair")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.meeting_detail_context(meeting=self.object), today=timezone.localdate())
        if ctx["can_edit"] and not self.object.is_county_row:  # action items are a township's
            ctx["items_form"] = DecisionsToItemsForm(meeting=self.object, user=self.request.user)
        return ctx


class MeetingCreateView(TownshipCreateView):
    model = Meeting
    form_class = MeetingForm
    service = services.meeting_save
    county_rows = True  # the county's own 联席会议 (消防, 道路交通 …)


class MeetingUpdateView(TownshipUpdateView):
    model = Meeting
    form_class = MeetingForm
    service = services.meeting_save
    object_kwarg = "meeting"
    county_rows = True


@login_required
def meeting_pdf(request, pk):
    """The minutes (会议纪要) as a PDF download."""
    require_roles(request.user, READ_COMMITTEE_WORK)
    meeting = get_object_or_404(Meeting.objects.for_user(request.user).select_related("township", "chair"), pk=pk)
    response = HttpResponse(pdf.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(f"会议纪要-{meeting.held_on:%Y%m%d}-{meeting.title}.pdf")
    return response


@login_required
def meeting_attendance(request, pk):
    require_roles(request.user, EDIT_TOWNSHIP)
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    members = list(CommitteeMember.objects.filter(township=meeting.township).order_by("position", "name"))
    existing = {a.member_id: a for a in meeting.attendance.all()}
    form = AttendanceForm(request.POST or None, members=members, existing=existing)
    if request.method == "POST" and form.is_valid():
        for m in members:
            services.meeting_record_attendance(
                meeting=meeting,
                member=m,
                present=form.cleaned_data[f"present_{m.pk}"],
                absence_reason=form.cleaned_data[f"reason_{m.pk}"],
            )
        messages.success(request, _("已保存出席情况"))
        return redirect(meeting)
    return render(request, "committees/attendance_form.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def meeting_create_items(request, pk):
    """Each decision of the minutes becomes an action item for the chosen owner and due date."""
    require_roles(request.user, EDIT_TOWNSHIP)
    meeting = get_object_or_404(Meeting.objects.for_user(request.user), pk=pk)
    form = DecisionsToItemsForm(request.POST, meeting=meeting, user=request.user)
    if form.is_valid():
        items = services.meeting_create_action_items(meeting=meeting, assignments=form.assignments())
        messages.success(request, _("已生成%(n)d项督办事项") % {"n": len(items)})
    else:
        errors = [str(e) for e in form.non_field_errors()] + [
            f"{form.fields[name].label}：{e}" for name, errs in form.errors.items() if name != "__all__" for e in errs
        ]
        messages.error(request, "；".join(errors))
    return redirect(meeting)


class ActionItemListView(TownshipListView):
    model = ActionItem
    template_name = "committees/list.html"
    table_class = ActionItemTable
    filterset_class = ActionItemFilterSet
    export_kind = "action_items"
    title = gettext_lazy("督办事项")
    create_url_name = "committees:action_create"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "owner_member", "owner_user", "meeting")


class MyActionItemListView(ActionItemListView):
    """ "My items": the items assigned to the user (directly or through their committee person)."""

    allowed_roles = UPDATE_ACTION_ITEMS
    title = gettext_lazy("我的督办事项")
    export_kind = None

    def get_queryset(self):
        return super().get_queryset().owned_by(self.request.user)

    def can_create(self):
        return False


class ActionItemDetailView(TownshipDetailView):
    model = ActionItem
    template_name = "committees/action_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "owner_member", "owner_user", "meeting")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        if services.can_update_action_item(self.request.user, self.object):
            ctx["status_form"] = ActionStatusForm(
                initial={"status": self.object.status, "progress_note": self.object.progress_note}
            )
        return ctx


class ActionItemCreateView(TownshipCreateView):
    model = ActionItem
    form_class = ActionItemForm

    def perform_save(self, form):
        return services.action_item_create(township=self.request.user.township, **form.cleaned_data)


class ActionItemUpdateView(TownshipUpdateView):
    model = ActionItem
    form_class = ActionItemForm
    service = services.action_item_update
    object_kwarg = "item"


@scoped_action(ActionItem, UPDATE_ACTION_ITEMS, select_related=("owner_member",))
def action_item_status(request, item):
    """A committee member (their own items) or township staff change an item's status."""
    if not services.can_update_action_item(request.user, item):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("状态不正确"))
    else:
        try:
            services.action_item_update_status(
                item=item,
                user=request.user,
                status=form.cleaned_data["status"],
                progress_note=form.cleaned_data["progress_note"],
            )
        except (ValidationError, ApplicationError) as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(request, _("已更新事项状态"))
    if request.POST.get("next") == "mine":
        return redirect("committees:action_mine")
    return redirect(item)
