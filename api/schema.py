"""OpenAPI: every operation documents its problem responses (RFC 9457), its conditional GET and
the Idempotency-Key of its POST."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}, "code": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status"],
}

COMMON = {
    "401": "未认证或令牌无效/已撤销/已过期",
    "403": "角色无权访问",
    "406": "不支持的 Accept",
    "429": "请求过于频繁",
}
GET_ONLY = {"400": "查询参数有误", "404": "不存在或不在管辖范围内"}
POST_ONLY = {
    "400": "请求体无法解析",
    "404": "不存在或不在管辖范围内",
    "409": "业务规则拒绝",
    "415": "不支持的请求格式",
    "422": "数据校验未通过，或 Idempotency-Key 已用于不同的请求",
}


class AutoSchema(openapi.AutoSchema):
    pass


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "个人API令牌 / personal API token"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


def _problem_response(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            extra = {**COMMON, **(GET_ONLY if method == "get" else POST_ONLY)}
            for code, description in extra.items():
                responses.setdefault(code, _problem_response(description))
            params = operation.setdefault("parameters", [])
            if method == "get":
                responses.setdefault("304", {"description": "未修改（If-None-Match 与 ETag 相同）"})
                params.append(
                    {
                        "in": "header",
                        "name": "If-None-Match",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "上次响应的 ETag",
                    }
                )
            elif method == "post":
                params.append(
                    {
                        "in": "header",
                        "name": "Idempotency-Key",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 255},
                        "description": "重试同一请求时使用相同的键，只会创建一条记录",
                    }
                )
    return result
