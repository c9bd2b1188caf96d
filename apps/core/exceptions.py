"""The API exception handler: every error answers `{"error": {"code", "message", "detail"}}`."""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import ApplicationError


def _first_message(detail: Any) -> str:
    """The first human-readable message in a DRF error detail, prefixed by its field."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            message = _first_message(value)
            return message if key in ("non_field_errors", "detail") else f"{key}: {message}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def _not_found_message(context: dict) -> str:
    """Names what was looked up ("No claim with id 42."); a private object's id reads the same
    as an unknown one."""
    view = context.get("view")
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
    value = (context.get("kwargs") or {}).get(lookup)
    if value is None or not hasattr(view, "get_queryset"):
        return "Not found."
    noun = view.get_queryset().model._meta.verbose_name
    return f"No {noun} with {'id' if lookup == 'pk' else lookup} {str(value)[:40]}."


def _unsupported_media_message(request: Any) -> str:
    accepted = " or ".join(parser.media_type for parser in getattr(request, "parsers", ()))
    content_type = getattr(request, "content_type", "") or ""
    sent = f'a body of type "{content_type[:100]}"' if content_type else "a body with no type"
    return f"This endpoint does not read {sent}; send {accepted} (Content-Type header)."


def error_response(
    *, code: str, message: str, detail: Any = None, status_code: int = 400, headers=None
) -> Response:
    body = {"error": {"code": code, "message": message, "detail": detail}}
    return Response(body, status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        return error_response(
            code=exc.code, message=exc.message, detail=exc.detail, status_code=exc.status_code
        )
    if isinstance(exc, RequestDataTooBig):
        return error_response(
            code="too_large",
            message="The request body is over the size limit.",
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_not_found_message(context))
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.UnsupportedMediaType(
            "", detail=_unsupported_media_message(context.get("request"))
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, IntegrityError):
        # A uniqueness race the service did not foresee: the client may retry, it is not a 500.
        return error_response(
            code="conflict",
            message="The change conflicts with existing data; reload and try again.",
            status_code=status.HTTP_409_CONFLICT,
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        message = _first_message(detail)
        code = "invalid"
    else:
        message = str(getattr(exc, "detail", exc))
        code = getattr(getattr(exc, "detail", None), "code", None) or getattr(
            exc, "default_code", "error"
        )
        detail = None
    response.data = {"error": {"code": code, "message": message, "detail": detail}}
    return response


def api_not_found(request, exception=None):
    """404 for unknown URLs: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        body = {
            "error": {
                "code": "not_found",
                "message": f"No API route {request.path}",
                "detail": None,
            }
        }
        return JsonResponse(body, status=404)
    return page_not_found(request, exception)
