"""One log line per request (method, path, status, duration, who asked), and the anonymous page
cache."""

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from zimao.lib import pagecache

logger = logging.getLogger("zimao.request")


class RequestLogMiddleware:
    """Log every request that reaches Django (static files are answered before, by WhiteNoise).

    With ZIMAO_LOG_FORMAT=json the fields are separate keys of the JSON line.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        if settings.ACCESS_LOG:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            user = getattr(request, "user", None)
            fields = {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "remote_addr": request.META.get("REMOTE_ADDR", ""),
            }
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            logger.log(
                level,
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra=fields,
            )
        return response


class PublicPageCacheMiddleware:
    """Serve anonymous GET pages from zimao.lib.pagecache.

    A page is stored only when nothing about it belongs to one visitor: no session or messages
    cookie on the request, no cookie set and no CSRF token rendered in the response (a page with
    a form that needs one is simply never cached). The key holds the data generation, the
    language and the full path, so a write or a language switch can never serve an old page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.eligible(request):
            return self.get_response(request)
        try:
            cache = caches[settings.PAGE_CACHE_ALIAS]  # its folder is made on first use
        except OSError as exc:  # a full or unwritable disk costs the cache, never the page
            logger.warning("page cache unavailable: %s", exc)
            return self.get_response(request)
        path = request.get_full_path()
        digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()
        key = f"page:{pagecache.generation()}:{request.LANGUAGE_CODE}:{request.method}:{digest}"
        try:
            stored = cache.get(key)
        except OSError as exc:
            logger.warning("page cache unreadable: %s", exc)
            stored = None
        if stored is not None and stored[0] == path:
            _, status, headers, content = stored
            hit = HttpResponse(content, status=status)
            for name, value in headers:
                hit[name] = value
            hit["X-Page-Cache"] = "hit"
            return hit
        response = self.get_response(request)
        if isinstance(response, HttpResponse) and self.storable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            stored = (path, response.status_code, headers, response.content)
            try:
                cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
            except OSError as exc:  # a full disk costs the cache, never the page
                logger.warning("page not cached: %s", exc)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def eligible(request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE
            and request.method in {"GET", "HEAD"}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not request.path.startswith(settings.PAGE_CACHE_SKIP)
            and len(request.get_full_path()) <= 2000
        )

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponse) -> bool:
        cache_control = response.get("Cache-Control", "").lower()
        return (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and _session_untouched(request)
            and "private" not in cache_control
            and "no-store" not in cache_control
            and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
        )


def _session_untouched(request: HttpRequest) -> bool:
    """Nothing was stored for this visitor (a login failure or a message would be)."""
    session = getattr(request, "session", None)
    return session is None or (not session.modified and session.is_empty())
