"""Refuse NUL characters at the door: PostgreSQL cannot store or compare them, so a `%00` in a
filter would otherwise become a server error deep inside a query."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = next(
            (key for key, values in request.GET.lists() for v in [key, *values] if "\x00" in v),
            None,
        )
        textual = (
            request.content_type == "application/x-www-form-urlencoded"
        )  # JSON: ninja names the field
        if field is None and textual and request.method in ("POST", "PUT", "PATCH"):
            # Uploaded files (multipart) may hold NUL bytes legitimately (UTF-16 text, PDF).
            body = request.body  # read once; Django keeps it for the view
            if b"\x00" in body or b"\\u0000" in body:
                field = "body"
        if field is None:
            return self.get_response(request)
        message = _("不能包含空字符（NUL）")
        if request.path.startswith("/api/"):
            detail = _("参数无效：%(fields)s") % {"fields": field}
            error = {"detail": detail, "errors": [{"field": field, "message": message}]}
            return JsonResponse(error, status=422, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(message)
