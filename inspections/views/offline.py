"""The grid inspector's offline app (PWA): the field page, its data, the sync endpoints, the
service worker and the web app manifest.

The sync endpoints take the same login, CSRF and scope as the normal inspection form (anonymous →
401, wrong role → 403, another township's entity → 404) and answer in JSON with the server's reason
(in the user's language) when they refuse a record.
"""

import datetime as dt
import hashlib
import json
import uuid

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from safecommunity.exceptions import ApplicationError
from safecommunity.mixins import require_roles
from safecommunity.permissions import WORK_IN_FIELD

from .. import selectors, services
from ..choices import InspectionMode, ItemResult, Rating
from ..models import ChecklistTemplate, HazardGrade, Inspection, Photo, SupervisedEntity
from ..services.offline import SyncConflict, entity_for_sync, inspection_sync, photo_sync

# The most entities the data file carries (a township officer's whole township can be large).
DATA_ENTITY_LIMIT = 500
APP_NAME = "安全社区巡查"


def _refuse(status: int, code: str, message, errors=None) -> JsonResponse:
    body = {"ok": False, "code": code, "message": str(message)}
    if errors:
        body["errors"] = errors
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _field_user(request):
    """None when the user may use the field app, else the JSON refusal (401 login, 403 role)."""
    if not request.user.is_authenticated:
        return _refuse(401, "login", _("登录已过期，请重新登录后同步；未同步的记录保留在本机"))
    try:
        require_roles(request.user, WORK_IN_FIELD)
    except PermissionDenied:
        return _refuse(403, "forbidden", _("当前角色无权执行此操作"))
    return None


def field(request):
    """The inspector's task page (the PWA's start page): an app shell whose task list, checklists
    and inspection form are drawn from the data file, online or not."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    require_roles(request.user, WORK_IN_FIELD)
    return render(
        request,
        "inspections/field.html",
        {
            "offline_config": {
                "user": request.user.pk,
                "data": reverse("inspections:offline_data"),
                "session": reverse("inspections:offline_session"),
                "sync": reverse("inspections:offline_inspection_sync"),
                "photos": reverse("inspections:offline_photo_sync"),
                "sw": reverse("service_worker"),
                "field": reverse("inspections:field"),
                "login": reverse("login"),
            },
            "labels": {
                "results": {k: str(v) for k, v in ItemResult.choices},
                "ratings": {k: str(v) for k, v in Rating.choices},
                "modes": {k: str(v) for k, v in InspectionMode.choices},
            },
            "strings": {k: str(v) for k, v in _strings().items()},
        },
    )


def _strings() -> dict:
    """The texts the field app's script shows (``%(n)s`` and the like are filled in there)."""
    return {
        "online": _("在线"),
        "offline": _("离线"),
        "inspect": _("巡查"),
        "due": _("应巡查"),
        "overdue": _("逾期未巡查"),
        "today": _("今日应巡查"),
        "week": _("本周应巡查"),
        "none": _("无"),
        "all_entities": _("我的网格全部监管对象"),
        "data_as_of": _("数据更新于"),
        "no_data": _("离线且本机没有任务数据，请联网后打开本页"),
        "login_needed": _("登录已过期，请重新登录后同步；未同步的记录保留在本机"),
        "photos": _("照片"),
        "photos_chosen": _("已选照片%(n)s张"),
        "resizing": _("正在压缩照片…"),
        "photo_bad": _("照片无法读取，请重新拍摄"),
        "inspection": _("现场巡查"),
        "inspected_at": _("检查时间"),
        "mode": _("检查方式"),
        "locate": _("记录定位"),
        "locate_failed": _("定位失败"),
        "no_checklist": _("本县尚未配置该类场所的检查表，请填写检查情况。"),
        "notes": _("检查情况"),
        "rating": _("总体评价"),
        "representative": _("被检查单位负责人签字"),
        "save": _("保存巡查记录（离线也可）"),
        "cancel": _("取消"),
        "basis": _("依据"),
        "note_optional": _("说明（可选）"),
        "register_hazard": _("登记为隐患"),
        "hazard_description": _("隐患描述"),
        "hazard_grade": _("隐患等级"),
        "deadline": _("整改期限"),
        "answer_every_item": _("请对检查表的每一项填写结果"),
        "deadline_needed": _("请填写整改期限"),
        "rating_needed": _("请选择总体评价"),
        "representative_needed": _("请填写被检查单位负责人"),
        "time_needed": _("请填写检查时间"),
        "saved_sending": _("已保存，正在同步"),
        "saved_offline": _("已保存在本机，联网后自动同步"),
        "storage_failed": _("本机存储失败，请检查浏览器存储空间"),
        "refused": _("服务器拒收"),
        "photo_refused": _("照片被拒收："),
        "all_synced": _("同步完成"),
        "server_busy": _("服务器暂时无法处理，稍后自动重试"),
        "status_pending": _("待同步"),
        "status_synced": _("已同步"),
        "status_refused": _("被退回"),
        "status_conflict": _("冲突"),
        "photo_progress": _("照片 %(done)s/%(n)s"),
        "view_record": _("查看记录"),
        "fix_and_resend": _("修改后重发"),
        "resend": _("重新发送"),
        "discard": _("放弃此记录"),
        "discard_confirm": _("确定放弃这条未同步的巡查记录吗？放弃后无法恢复。"),
        "login": _("登录"),
    }


@require_GET
def session(request):
    """Who is logged in and a fresh CSRF token, asked before each sync (a page drawn from the
    cache may carry a token from before the last login)."""
    refused = _field_user(request)
    if refused:
        return refused
    return _json({"ok": True, "user": request.user.pk, "csrf": get_token(request)})


def _entity_row(entity) -> dict:
    return {
        "id": entity.pk,
        "name": entity.name,
        "kind": entity.kind,
        "kind_label": entity.get_kind_display(),
        "address": entity.address,
        "village": entity.village.name,
        "grid": entity.grid.name if entity.grid else "",
        "next_due_on": entity.next_due_on.isoformat() if entity.next_due_on else None,
        "risk": entity.get_risk_colour_display(),
        "url": entity.get_absolute_url(),
    }


@require_GET
def data(request):
    """Everything the field app needs offline: today's and this week's tasks, the entities of the
    user's grids, the current checklists of their kinds and the county's hazard grades."""
    refused = _field_user(request)
    if refused:
        return refused
    user = request.user
    today = timezone.localdate()
    tasks = selectors.due_inspections(user=user, today=today, limit=100)
    entities = list(
        SupervisedEntity.objects.for_user(user)
        .filter(closed_on__isnull=True)
        .select_related("village", "grid")
        .order_by("next_due_on", "name", "id")[:DATA_ENTITY_LIMIT]
    )
    county_id = user.area.parent_id if user.is_township_level else user.area_id
    kinds = {e.kind for e in entities} | {e.kind for bucket in ("overdue", "today", "week") for e in tasks[bucket]}
    templates = ChecklistTemplate.objects.filter(county_id=county_id, kind__in=kinds, is_current=True).prefetch_related(
        "items"
    )
    checklists = {
        t.kind: {
            "id": t.pk,
            "name": str(t),
            "items": [
                {"id": i.pk, "category": i.category, "text": i.text, "legal_basis": i.legal_basis}
                for i in t.items.all()
            ],
        }
        for t in templates
    }
    if county_id:
        services.hazard_grades(user.area.parent if user.is_township_level else user.area)
    grades = [
        {"id": g.pk, "name": g.name, "is_major": g.is_major, "default_days": g.default_days}
        for g in HazardGrade.objects.filter(county_id=county_id).order_by("order", "id")
    ]
    rows = {e.pk: _entity_row(e) for e in entities}
    for bucket in ("overdue", "today", "week"):
        for e in tasks[bucket]:
            rows.setdefault(e.pk, _entity_row(e))
    response = _json(
        {
            "ok": True,
            "user": user.pk,
            "generated_at": timezone.now().isoformat(),
            "today": today.isoformat(),
            "week_end": tasks["week_end"].isoformat(),
            "counts": tasks["counts"],
            "tasks": {bucket: [e.pk for e in tasks[bucket]] for bucket in ("overdue", "today", "week")},
            "entities": list(rows.values()),
            "checklists": checklists,
            "grades": grades,
        }
    )
    # Kept by the service worker for offline use (its own cache, emptied at logout), never by
    # shared caches.
    response["Cache-Control"] = "private, no-cache"
    return response


def _validation_errors(exc: ValidationError | ApplicationError) -> tuple[str, dict]:
    if isinstance(exc, ApplicationError):
        errors = {exc.field or "__all__": [str(exc.message)]}
    elif hasattr(exc, "error_dict"):
        errors = {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    message = "；".join(m for msgs in errors.values() for m in msgs)
    return message, errors


class BadRecord(Exception):
    """A field of the sent record is malformed."""


def _parse_key(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise BadRecord(_("同步标识不正确")) from None


def _parse_time(value) -> dt.datetime:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        raise BadRecord(_("检查时间不正确"))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _outcomes(payload: dict, template, grades: dict) -> list:
    answers = payload.get("results") or []
    if not isinstance(answers, list):
        raise BadRecord(_("检查结果不正确"))
    items = {i.pk: i for i in template.items.all()} if template else {}
    outcomes = []
    for answer in answers:
        if not isinstance(answer, dict):
            raise BadRecord(_("检查结果不正确"))
        item = items.get(answer.get("item"))
        if item is None:
            raise BadRecord(_("检查表已更新，请按新检查表重新填写"))
        hazard = None
        if answer.get("hazard"):
            h = answer["hazard"]
            grade = grades.get(h.get("grade")) if isinstance(h, dict) else None
            if grade is None:
                raise BadRecord(_("请选择隐患等级"))
            deadline = parse_date(h.get("deadline") or "")
            if deadline is None:
                raise BadRecord(_("请填写整改期限"))
            hazard = {
                "grade": grade,
                "description": (h.get("description") or answer.get("note") or item.text)[:2000],
                "deadline": deadline,
                "location": (h.get("location") or "")[:200],
            }
        outcomes.append(
            services.ItemOutcome(
                item=item,
                result=str(answer.get("result") or ""),
                note=str(answer.get("note") or "")[:500],
                hazard=hazard,
            )
        )
    return outcomes


def _decimal(value):
    if value in (None, ""):
        return None
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise BadRecord(_("定位不正确")) from None


def _inspection_body(inspection: Inspection, created: bool) -> dict:
    return {
        "ok": True,
        "created": created,
        "id": inspection.pk,
        "key": str(inspection.client_key),
        "url": inspection.get_absolute_url(),
        "hazards": [
            {"id": h.pk, "item": h.item_id, "number": h.number, "url": h.get_absolute_url()}
            for h in inspection.hazards.order_by("id")
        ],
    }


@require_POST
@never_cache
def inspection_sync_view(request):
    """One inspection filled in offline, as JSON: {key, entity, inspected_at, mode, notes, rating,
    representative_name, latitude, longitude, template, results: [{item, result, note, hazard:
    {grade, description, deadline}}]}. A repeat of the key returns the first one (200)."""
    refused = _field_user(request)
    if refused:
        return refused
    try:
        payload = json.loads(request.body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return _refuse(400, "invalid", _("提交的数据格式不正确"))
    user = request.user
    try:
        key = _parse_key(payload.get("key"))
        # Already stored (the phone missed the answer): the same answer, whatever changed since.
        done = Inspection.objects.filter(client_key=key, recorded_by=user).first()
        if done is not None:
            return _json(_inspection_body(done, False))
        try:
            entity_id = int(payload.get("entity"))
        except (TypeError, ValueError):
            raise BadRecord(_("监管对象不正确")) from None
        entity = entity_for_sync(user=user, entity_id=entity_id)
        if entity is None:
            raise Http404
        county = entity.township.parent
        template = services.current_template(county, entity.kind)
        sent_template = payload.get("template")
        if template is not None and sent_template not in (None, template.pk):
            raise BadRecord(_("检查表已更新，请按新检查表重新填写"))
        grades = {g.pk: g for g in services.hazard_grades(county)}
        fields = {
            "representative_name": str(payload.get("representative_name") or "").strip()[:50],
            "rating": str(payload.get("rating") or ""),
            "mode": str(payload.get("mode") or InspectionMode.ANNOUNCED),
            "notes": str(payload.get("notes") or ""),
            "latitude": _decimal(payload.get("latitude")),
            "longitude": _decimal(payload.get("longitude")),
            "template": template,
            "outcomes": _outcomes(payload, template, grades),
        }
        inspection, created = inspection_sync(
            user=user, key=key, entity=entity, inspected_at=_parse_time(payload.get("inspected_at")), **fields
        )
    except Http404:
        return _refuse(404, "not_found", _("监管对象不存在或不在您的管辖范围内"))
    except BadRecord as exc:
        return _refuse(422, "invalid", exc.args[0])
    except SyncConflict as exc:
        return _refuse(409, exc.code, exc.message)
    except PermissionDenied as exc:
        return _refuse(403, "forbidden", str(exc) or _("当前角色无权执行此操作"))
    except (ValidationError, ApplicationError) as exc:
        message, errors = _validation_errors(exc)
        return _refuse(422, "invalid", message, errors)
    return _json(_inspection_body(inspection, created), status=201 if created else 200)


@require_POST
@never_cache
def photo_sync_view(request):
    """One photo (multipart: key, inspection = the inspection's key, item = the checklist item of
    the hazard it shows, or none for the inspection itself, photo). A repeat of the key: 200."""
    refused = _field_user(request)
    if refused:
        return refused
    user = request.user
    try:
        key = _parse_key(request.POST.get("key"))
        done = Photo.objects.filter(client_key=key, uploaded_by=user).first()
        if done is not None:
            return _json({"ok": True, "created": False, "id": done.pk, "key": str(done.client_key)})
        inspection_key = _parse_key(request.POST.get("inspection"))
        item = request.POST.get("item") or None
        if item is not None and not str(item).isdigit():
            raise BadRecord(_("检查项不正确"))
        upload = request.FILES.get("photo")
        if upload is None:
            raise BadRecord(_("没有收到照片"))
        inspection = (
            Inspection.objects.for_user(user).select_related("entity").filter(client_key=inspection_key).first()
        )
        if inspection is None:
            raise Http404
        photo, created = photo_sync(
            user=user, key=key, inspection=inspection, upload=upload, item_id=int(item) if item is not None else None
        )
    except Http404:
        return _refuse(404, "not_found", _("照片所属的巡查记录不存在或不在您的管辖范围内"))
    except BadRecord as exc:
        return _refuse(422, "invalid", exc.args[0])
    except PermissionDenied as exc:
        return _refuse(403, "forbidden", str(exc) or _("当前角色无权执行此操作"))
    except (ValidationError, ApplicationError) as exc:
        message, errors = _validation_errors(exc)
        return _refuse(422, "invalid", message, errors)
    return _json(
        {"ok": True, "created": created, "id": photo.pk, "key": str(photo.client_key)}, status=201 if created else 200
    )


# --- The service worker and the manifest -----------------------------------------------------

SHELL = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "css/portal.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/forms.js",
    "js/offline/idb.js",
    "js/offline/field.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
]


def _static_text(path: str) -> str:
    found = finders.find(path)
    if found:
        with open(found, encoding="utf-8") as fh:
            return fh.read()
    from django.contrib.staticfiles.storage import staticfiles_storage

    with staticfiles_storage.open(path) as fh:
        return fh.read().decode("utf-8")


@require_GET
def service_worker(request):
    """``/sw.js`` at the site root (a worker's scope is the folder it is served from): the static
    ``js/sw.js`` after a line of configuration (the shell's static URLs, the app's routes). The
    configuration changes with each deploy's static names, so browsers pick up the new worker."""
    config = {
        "shell": [static(p) for p in SHELL],
        "static": static(""),
        "field": reverse("inspections:field"),
        "data": reverse("inspections:offline_data"),
        "pages": reverse("inspections:index"),
        "logout": reverse("logout"),
        "login": reverse("login"),
    }
    source = _static_text("js/sw.js")
    body = f"self.SC_CONFIG = {json.dumps(config)};\n{source}"
    config["version"] = hashlib.sha256(body.encode()).hexdigest()[:12]
    body = f"self.SC_CONFIG = {json.dumps(config)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    body = {
        "name": APP_NAME,
        "short_name": APP_NAME,
        "lang": "zh-CN",
        "start_url": reverse("inspections:field"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
