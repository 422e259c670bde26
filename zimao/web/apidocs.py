"""/api/docs with Swagger UI served from our own static files (vendored from npm at setup), so
the page renders without any network access and without an inline script."""

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    template = "web/api_docs.html"

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        settings = dict(self.settings, url=self.get_openapi_url(api, kwargs))
        context = {"swagger_settings": settings, "api": api}
        return render(request, self.template, context)


def docs() -> OfflineSwagger:
    # No validator badge: it would ask validator.swagger.io about the schema.
    return OfflineSwagger(settings={"validatorUrl": None, "docExpansion": "list"})


__all__ = ["OfflineSwagger", "docs"]
