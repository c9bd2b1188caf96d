"""Serves the browser app's index.html for every client-side route, with a CSRF cookie."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

NOT_BUILT = (
    "<!doctype html><title>Sensemap</title><p>The browser app is not built yet: run "
    "<code>make run</code> (or <code>make frontend</code>). The API is at "
    '<a href="/api/">/api/</a>.</p>'
)


@ensure_csrf_cookie
def app(request: HttpRequest) -> HttpResponse:
    """The browser app reads the csrftoken cookie to send X-CSRFToken with its writes."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.exists():
        return HttpResponse(NOT_BUILT, status=503)
    return HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
