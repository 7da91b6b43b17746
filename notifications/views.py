"""Pages of the notifications app: the user's own notifications and channels, and the county's
webhooks, scheduled-job log and send log."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safecommunity.generic import FilteredListView, ObjectCreateView, ObjectUpdateView, scoped_action
from safecommunity.mixins import require_roles
from safecommunity.permissions import READ_LEDGERS, RUN_COUNTY_OFFICE

from . import selectors, services
from .choices import Kind
from .filters import DeliveryFilter, JobRunFilter, NotificationFilter
from .forms import PreferencesForm, WebhookChannelForm
from .models import Delivery, JobRun, Notification, Preference, WebhookChannel
from .tables import DeliveryTable, JobRunTable, NotificationTable, WebhookChannelTable


class NotificationListView(FilteredListView):
    model = Notification
    allowed_roles = READ_LEDGERS
    table_class = NotificationTable
    filterset_class = NotificationFilter
    template_name = "notifications/notification_list.html"
    title = gettext_lazy("我的通知")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unread"] = selectors.unread_count(self.request.user)
        return ctx


@login_required
def bell(request):
    """The bell with its number, for a page whose count was not cached (one COUNT, then cached)."""
    return render(request, "notifications/_bell.html", {"unread": selectors.unread_count(request.user), "load": False})


@login_required
def notification_open(request, pk):
    """Open a notification: marked read, then on to what it is about."""
    require_roles(request.user, READ_LEDGERS)
    note = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notification_mark_read(user=request.user, notification=note)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:notification_list")


@scoped_action(Notification, READ_LEDGERS)
def notification_read(request, note):
    services.notification_mark_read(user=request.user, notification=note)
    return redirect("notifications:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    require_roles(request.user, READ_LEDGERS)
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将%(n)d条通知标为已读") % {"n": count})
    return redirect("notifications:notification_list")


@login_required
def preferences(request):
    """Each kind's channels for the signed-in user."""
    user = request.user
    require_roles(user, READ_LEDGERS)
    stored = {p.kind: p for p in Preference.objects.filter(user=user)}
    current = {kind: stored.get(kind) or services.default_preference(user, kind) for kind in Kind.values}
    form = PreferencesForm(request.POST or None, preferences=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=user, choices=form.choices())
        messages.success(request, _("已保存"))
        return redirect("notifications:preferences")
    from .channels import email_configured

    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "email_configured": email_configured(), "has_email": bool(user.email)},
    )


class JobRunListView(FilteredListView):
    """The county's 定时任务 page: every run of the scheduled jobs, what failed first."""

    model = JobRun
    allowed_roles = RUN_COUNTY_OFFICE
    table_class = JobRunTable
    filterset_class = JobRunFilter
    template_name = "notifications/jobrun_list.html"
    title = gettext_lazy("定时任务运行记录")

    def get_queryset(self):
        # The jobs are the portal's own (not a township's rows): the county office sees them all.
        return JobRun.objects.all()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        since = timezone.now() - timedelta(days=7)
        ctx["summary"] = selectors.job_run_summary(since=since)
        ctx["deliveries"] = selectors.delivery_summary(user=self.request.user, since=since)
        return ctx


class DeliveryListView(FilteredListView):
    """Every mail and webhook send to the county's users, with its status and error."""

    model = Delivery
    allowed_roles = RUN_COUNTY_OFFICE
    table_class = DeliveryTable
    filterset_class = DeliveryFilter
    title = gettext_lazy("消息发送记录")

    def get_queryset(self):
        return Delivery.objects.for_user(self.request.user).select_related("user")


class WebhookChannelListView(FilteredListView):
    model = WebhookChannel
    allowed_roles = RUN_COUNTY_OFFICE
    table_class = WebhookChannelTable
    title = gettext_lazy("群机器人与短信渠道")
    create_url_name = "notifications:channel_create"

    def can_create(self):
        return True


class WebhookChannelCreateView(ObjectCreateView):
    model = WebhookChannel
    form_class = WebhookChannelForm
    allowed_roles = RUN_COUNTY_OFFICE

    def perform_save(self, form):
        data = {k: form.cleaned_data[k] for k in ("name", "adapter", "url", "enabled")}
        return services.webhook_channel_save(user=self.request.user, **data)


class WebhookChannelUpdateView(ObjectUpdateView):
    model = WebhookChannel
    form_class = WebhookChannelForm
    allowed_roles = RUN_COUNTY_OFFICE

    def perform_save(self, form):
        data = {k: form.cleaned_data[k] for k in ("name", "adapter", "url", "enabled")}
        channel = WebhookChannel.objects.for_user(self.request.user).get(pk=self.object.pk)
        return services.webhook_channel_save(user=self.request.user, channel=channel, **data)
