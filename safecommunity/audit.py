"""The administrator's audit page: who came in (security events), what changed (auditlog), who saw
personal data (reveals) and which accounts are locked out, for the administrator's county, with
filters. Every value is shown by its label and in local time, never as a stored code, a UTC time
or a ``\\u`` escape; the actor and the object are links."""

import ast
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from auditlog.models import LogEntry
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .choices import SecurityEventKind
from .mixins import require_roles
from .models import SecurityEvent, User
from .permissions import ADMINISTER

PAGE_SIZE = 50

ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("新增"),
    LogEntry.Action.UPDATE: gettext_lazy("修改"),
    LogEntry.Action.DELETE: gettext_lazy("删除"),
    LogEntry.Action.ACCESS: gettext_lazy("查看"),
}


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("用户"), queryset=User.objects.none(), required=False)
    model = forms.ModelChoiceField(label=gettext_lazy("数据类别"), queryset=ContentType.objects.none(), required=False)
    event = forms.ChoiceField(label=gettext_lazy("安全事件"), required=False)
    start = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, users, content_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name or u.username}（{u.username}）"
        self.fields["model"].queryset = content_types
        self.fields["model"].label_from_instance = lambda ct: str(ct.model_class()._meta.verbose_name)
        self.fields["event"].choices = [("", "---------"), *SecurityEventKind.choices]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm",
            )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期"))
        return data


def _audited_content_types():
    from auditlog.registry import auditlog

    by_model = ContentType.objects.get_for_models(*auditlog.get_models())
    return ContentType.objects.filter(pk__in=[ct.pk for ct in by_model.values()])


def _day_bounds(start, end):
    tz = timezone.get_current_timezone()
    lower = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz) if start else None
    upper = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz) if end else None
    return lower, upper


def _in_range(queryset, field, lower, upper):
    if lower:
        queryset = queryset.filter(**{f"{field}__gte": lower})
    if upper:
        queryset = queryset.filter(**{f"{field}__lt": upper})
    return queryset


# --- Showing a change -------------------------------------------------------------------------


@dataclass
class ChangeRow:
    entry: LogEntry
    action: str
    model_label: str
    object_label: str
    object_url: str | None
    fields: list[tuple[str, str, str]]  # (label, before, after)


def _parse(raw):
    """auditlog keeps values as text: JSON, a Python literal (lists of a JSONField) or plain text."""
    if not isinstance(raw, str):
        return raw
    for load in (json.loads, ast.literal_eval):
        try:
            return load(raw)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return raw


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _show(field, raw, related: dict) -> str:
    if raw is None or raw in ("None", ""):
        return "—"
    if field is None:
        value = _parse(raw)
        return "、".join(map(str, value)) if isinstance(value, list) else str(value)
    choices = dict(field.flatchoices) if getattr(field, "flatchoices", None) else None
    if isinstance(field, models.ForeignKey):
        return related.get((field.related_model, str(raw)), f"#{raw}")
    if isinstance(field, models.BooleanField):
        return _("是") if str(raw) in ("True", "true", "1") else _("否")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(raw))
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.timezone.utc)
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        return str(raw)
    value = _parse(raw) if isinstance(field, models.JSONField) else raw
    if isinstance(value, list):
        inner = getattr(getattr(field, "base_field", None), "flatchoices", None)
        labels = dict(inner) if inner else {}
        return "、".join(str(labels.get(v, v)) for v in value)
    if choices:
        return str(choices.get(raw, choices.get(_parse(raw), raw)))
    return str(value)


def change_rows(entries, user) -> list[ChangeRow]:
    """The entries of one page, each field by its label; related objects and the changed objects
    are read with one query per kind of object on the page, whatever the page holds."""
    entries = list(entries)
    wanted = defaultdict(set)  # related model → pks named in the changes
    for e in entries:
        model = e.content_type.model_class()
        for name in e.changes_dict or {}:
            field = _field(model, name) if model else None
            if isinstance(field, models.ForeignKey):
                wanted[field.related_model].update(str(v) for v in e.changes_dict[name] if v not in (None, "None", ""))
    related = {}
    for model, pks in wanted.items():
        ids = [int(p) for p in pks if str(p).isdigit()]
        for obj in model._default_manager.filter(pk__in=ids):
            related[(model, str(obj.pk))] = str(obj)
    objects = {}
    by_type = defaultdict(set)
    for e in entries:
        if str(e.object_pk).isdigit():
            by_type[e.content_type_id].add(int(e.object_pk))
    for ct_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        manager = model._default_manager
        queryset = manager.for_user(user) if hasattr(manager.all(), "for_user") else manager.all()
        for obj in queryset.filter(pk__in=pks):
            objects[(ct_id, str(obj.pk))] = obj
    rows = []
    for e in entries:
        model = e.content_type.model_class()
        obj = objects.get((e.content_type_id, str(e.object_pk)))
        fields = []
        for name, pair in (e.changes_dict or {}).items():
            field = _field(model, name) if model else None
            label = str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name
            before, after = (list(pair) + [None, None])[:2]
            fields.append((label, _show(field, before, related), _show(field, after, related)))
        url = None
        if obj is not None:
            try:
                url = obj.get_absolute_url()
            except Exception:  # noqa: BLE001 - an object whose page needs more than its pk
                url = None
        rows.append(
            ChangeRow(
                entry=e,
                action=str(ACTION_LABELS.get(e.action, e.action)),
                model_label=str(model._meta.verbose_name) if model else e.content_type.name,
                object_label=str(obj) if obj is not None else e.object_repr,
                object_url=url,
                fields=fields,
            )
        )
    return rows


# --- Locked accounts ------------------------------------------------------------------------


def locked_accounts(users):
    """The accounts of ``users`` that django-axes holds locked now."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        username__in=users.values("username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).order_by("-attempt_time")
    seen, result = set(), []
    for a in attempts:
        if a.username not in seen:
            seen.add(a.username)
            result.append(a)
    return result


def _county_users(admin):
    county = admin.county
    return User.objects.filter(area__code__startswith=county.code).order_by("username")


@login_required
def audit(request):
    """The county's audit log, paginated and filtered by user, kind of data or event, and days."""
    require_roles(request.user, ADMINISTER)
    users = _county_users(request.user)
    form = AuditFilterForm(request.GET or None, users=users, content_types=_audited_content_types())
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    lower, upper = _day_bounds(data.get("start"), data.get("end"))
    chosen = data.get("user")

    events = SecurityEvent.objects.filter(user__in=users).select_related("user")
    if chosen:
        events = events.filter(user=chosen)
    if data.get("event"):
        events = events.filter(kind=data["event"])
    events = _in_range(events, "created_at", lower, upper)

    changes = LogEntry.objects.filter(actor__in=users).select_related("actor", "content_type").order_by("-timestamp")
    if chosen:
        changes = changes.filter(actor=chosen)
    if data.get("model"):
        changes = changes.filter(content_type=data["model"])
    changes = _in_range(changes, "timestamp", lower, upper)

    from incidents.models import PersonalDataReveal

    reveals = PersonalDataReveal.objects.filter(user__in=users).select_related("user", "injury", "injury__township")
    if chosen:
        reveals = reveals.filter(user=chosen)
    reveals = _in_range(reveals, "created_at", lower, upper)

    events_page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    changes_page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("cpage"))
    reveals_page = Paginator(reveals, PAGE_SIZE).get_page(request.GET.get("rpage"))
    query = request.GET.copy()
    for key in ("page", "cpage", "rpage"):
        query.pop(key, None)
    return render(
        request,
        "safecommunity/audit.html",
        {
            "form": form,
            "events": events_page,
            "changes": change_rows(changes_page.object_list, request.user),
            "changes_page": changes_page,
            "reveals": reveals_page,
            "locked": locked_accounts(users),
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def unlock(request):
    """An administrator unlocks an account of their county that repeated failures locked."""
    from axes.utils import reset

    from .security import _record

    require_roles(request.user, ADMINISTER)
    username = request.POST.get("username", "")
    account = _county_users(request.user).filter(username=username).first()
    if account is None:
        raise Http404
    reset(username=username)
    _record(
        SecurityEventKind.UNLOCKED,
        request,
        username,
        account,
        detail=_("由 %(admin)s 解锁") % {"admin": request.user.full_name or request.user.username},
    )
    messages.success(request, _("已解锁账号 %(name)s") % {"name": account.full_name or username})
    return redirect("audit")
