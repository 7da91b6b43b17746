"""Errors as RFC 9457 problem details (``application/problem+json``), in the request's language
(LocaleMiddleware has activated it from Accept-Language)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from safecommunity.exceptions import ApplicationError

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: lambda: _("请求有误"),
    401: lambda: _("未认证"),
    403: lambda: _("无权访问"),
    404: lambda: _("未找到"),
    405: lambda: _("不支持的请求方法"),
    406: lambda: _("不支持的响应格式"),
    409: lambda: _("请求冲突"),
    415: lambda: _("不支持的请求格式"),
    422: lambda: _("数据校验未通过"),
    429: lambda: _("请求过于频繁"),
}


class UnprocessableEntity(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "invalid"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _flatten(detail, prefix=""):
    """DRF's nested error detail → [{"field", "message", "code"}]."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" and key != "__all__" else ""
            out += _flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                out += _flatten(value, f"{prefix}[{i}]" if prefix else f"[{i}]")
            else:
                out += _flatten(value, prefix)
    else:
        out.append({"field": prefix, "message": str(detail), "code": getattr(detail, "code", "invalid") or "invalid"})
    return out


def django_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def problem(status_code: int, detail: str = "", *, errors=None, request=None, headers=None, title=None) -> Response:
    body = {
        "type": "about:blank",
        "title": title or (TITLES[status_code]() if status_code in TITLES else str(status_code)),
        "status": status_code,
        "detail": detail or (TITLES[status_code]() if status_code in TITLES else ""),
    }
    if request is not None:
        body["instance"] = request.path
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_TYPE)


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*([str(exc)] if str(exc) else []))
    elif isinstance(exc, DjangoValidationError):
        exc = UnprocessableEntity(django_errors(exc))
    elif isinstance(exc, ApplicationError):
        # A refusal about one field is that field's error (422), as a model's validation is.
        exc = UnprocessableEntity({exc.field: [str(exc.message)]}) if exc.field else Conflict(exc.message)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    status_code = exc.status_code
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        # A body that parses but does not validate is 422 (400 stays for what cannot be read).
        status_code = 422
    if isinstance(exc.detail, (dict, list)):
        errors = _flatten(exc.detail)
        detail = errors[0]["message"] if len(errors) == 1 else _("有%(n)d处错误") % {"n": len(errors)}
    else:
        detail = str(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        detail = _("请求过于频繁，请%(n)d秒后再试") % {"n": int(exc.wait or 1)}
    set_rollback()
    return problem(status_code, detail, errors=errors, request=request._request if request else None, headers=headers)
