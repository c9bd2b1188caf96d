"""URL wiring: admin, the REST API under /api/, its schema and docs, and the front end."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.core import spa

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("api/", include("config.api_urls")),
    path("api-auth/", include("rest_framework.urls")),
    # Everything else is a route of the browser app.
    re_path(r"^(?!api/|api-auth/|admin/|static/).*$", spa.app, name="app"),
]

handler404 = "apps.core.exceptions.api_not_found"
