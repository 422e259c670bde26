"""The JSON API: one NinjaAPI, one router per domain app, OpenAPI docs at /api/docs."""

import re
from typing import Any

import ninja.errors
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from zimao.alignment.api import router as alignment_router
from zimao.attachments.api import router as attachments_router
from zimao.audit.writes import EditConflict
from zimao.demands.api import router as demands_router
from zimao.documents.api import router as documents_router
from zimao.indicators.api import router as indicators_router
from zimao.lib.schemas import ConflictOut, ErrorOut, FieldError, nul_at
from zimao.opening.api import router as opening_router
from zimao.reforms.api import router as reforms_router
from zimao.replication.api import router as replication_router
from zimao.search.api import router as search_router
from zimao.web.apidocs import docs as offline_docs
from zimao.zones.api import router as zones_router


class UTF8Renderer(JSONRenderer):
    """Chinese stays readable in responses instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class TextParser(Parser):
    """A query string with a NUL character is invalid input (422 naming the parameter), not a
    database error; body fields say the same through their `NO_NUL` pattern."""

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        parsed = super().parse_querydict(data, list_fields, request)
        path = nul_at(parsed)
        if path is not None:
            message = _("不能含有 NUL 控制字符")
            raise ninja.errors.ValidationError([{"loc": ("query", *path), "msg": message}])
        return parsed


class ZimaoAPI(NinjaAPI):
    """Documents the error responses every operation can give, in their one real shape
    (`ErrorOut`, `ConflictOut`), so clients and schema checks see what the API really sends."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema(ref_template=REF))
        components["ErrorOut"].pop("$defs", None)
        components.setdefault("FieldError", FieldError.model_json_schema(ref_template=REF))
        components.setdefault("ConflictOut", ConflictOut.model_json_schema(ref_template=REF))
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                # ninja keys responses by int; a str key of the same code would be a duplicate
                responses = operation.setdefault("responses", {})
                codes = [422]
                if operation.get("security"):
                    codes += [401, 403]
                if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                    codes.append(404)
                if "requestBody" in operation:
                    codes.append(400)
                for code in codes:
                    if code not in responses and str(code) not in responses:
                        responses[code] = _error(ERROR_TEXT[str(code)], "ErrorOut")
        return schema


REF = "#/components/schemas/{model}"
ERROR_TEXT = {
    "400": "The request body is not readable JSON",
    "401": "Not signed in",
    "403": "Outside the caller's scope",
    "404": "No such record, or not visible to the caller",
    "409": "Changed by someone else since it was loaded",
    "422": "Invalid input: `errors` names each field",
}


def _error(description: str, component: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


api = ZimaoAPI(
    renderer=UTF8Renderer(),
    parser=TextParser(),
    title="Zimao API",
    version="1",
    description=(
        "自贸试验区名录、试点任务、制度创新成果、复制推广、指标、文档与检索的数据接口。"
        " Pilot FTZ registry, tasks, innovations, replication, indicators, documents and search."
    ),
    urls_namespace="api",
    docs=offline_docs(),
)
api.add_router("", zones_router)
api.add_router("", replication_router)
api.add_router("", indicators_router)
api.add_router("", documents_router)
api.add_router("", search_router)
api.add_router("", reforms_router)
api.add_router("", opening_router)
api.add_router("", alignment_router)
api.add_router("", attachments_router)
api.add_router("", demands_router)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("您没有权限执行此操作。")
    return api.create_response(request, {"detail": detail, "errors": []}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("未找到该记录。"), "errors": []}, status=404)


def _field_name(location: Any) -> str:
    """The field as the caller named it: pydantic's own steps ('constrained-str', a union's
    'function-after[...]') are left out, since no field of ours has a hyphen or bracket."""
    parts = [str(p) for p in location if p not in ("query", "path", "body", "form")]
    return ".".join(p for p in parts if not PYDANTIC_STEP.search(p)) or "—"


PYDANTIC_STEP = re.compile(r"[-\[]")


@api.exception_handler(ninja.errors.ValidationError)
def invalid_input(request: HttpRequest, exc: ninja.errors.ValidationError) -> HttpResponse:
    """422 in the one error shape: which fields, and why."""
    errors = [
        {"field": _field_name(e.get("loc", ())), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    fields = "、".join(dict.fromkeys(e["field"] for e in errors))
    detail = _("参数无效：%(fields)s") % {"fields": fields}
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service's refusal (unknown code, impossible date, absurd number) names the field."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": name, "message": str(message)}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "—", "message": str(m)} for m in exc.messages]
    detail = "；".join(f"{e['field']}：{e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(MultiPartParserError)
def unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    body = {"detail": _("无法读取请求内容。"), "errors": []}
    return api.create_response(request, body, status=400)


@api.exception_handler(EditConflict)
def conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    changes = {k: list(v) for k, v in exc.changes.items()}
    return api.create_response(request, {"detail": str(exc), "changes": changes}, status=409)
