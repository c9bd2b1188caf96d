"""URL wiring: admin, the REST API under /api/, its schema and docs, and the front end."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("config.api_urls")),
    path("api-auth/", include("rest_framework.urls")),
    path("", TemplateView.as_view(template_name="index.html"), name="home"),
]

handler404 = "apps.core.exceptions.api_not_found"
