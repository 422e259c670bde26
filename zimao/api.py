"""The JSON API: one NinjaAPI, one router per domain app, OpenAPI docs at /api/docs."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from zimao.documents.api import router as documents_router
from zimao.indicators.api import router as indicators_router
from zimao.reforms.api import router as reforms_router
from zimao.replication.api import router as replication_router
from zimao.search.api import router as search_router
from zimao.zones.api import router as zones_router


class UTF8Renderer(JSONRenderer):
    """Chinese stays readable in responses instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=UTF8Renderer(),
    title="Zimao API",
    version="1",
    description="Read access to the Pilot FTZ registry, replication batches and indicators.",
    urls_namespace="api",
)
api.add_router("", zones_router)
api.add_router("", replication_router)
api.add_router("", indicators_router)
api.add_router("", documents_router)
api.add_router("", search_router)
api.add_router("", reforms_router)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "not found"}, status=404)
