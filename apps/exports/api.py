"""The export endpoint: a thread's annotations as a file."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import get_object_or_404
from rest_framework.views import APIView

from apps.exports.services import EXPORTERS, thread_export
from apps.forum.selectors import threads_visible


class ThreadExportView(APIView):
    """Download a thread's annotations: `csv` (one row per reading, with its claim, author,
    sense, votes and the conflicts citing it), `glossary` (Markdown: each term, its senses,
    who uses which), `w3c` (W3C Web Annotation JSON-LD: an AnnotationCollection of claims,
    readings, claim links and replies), `aif` (xAIF: the AIF argument graph of comments as
    locutions, claims as I-nodes and links as RA/CA/MA nodes, with the readings in a `sensemap`
    object) or `argdown` (Argdown: claims as statements, supports and attacks as relations,
    each term's senses as a comment block)."""

    def get_queryset(self):
        # Also lets a 404 name what is missing (apps/core/exceptions.py).
        return threads_visible(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("export_format", str, OpenApiParameter.PATH, enum=list(EXPORTERS)),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "text/markdown"): OpenApiTypes.STR,
            (200, "application/ld+json"): OpenApiTypes.OBJECT,
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "text/plain"): OpenApiTypes.STR,
        },
    )
    def get(self, request, pk: int, export_format: str):
        thread = get_object_or_404(self.get_queryset(), pk=pk)
        export = thread_export(thread=thread, format=export_format)
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
