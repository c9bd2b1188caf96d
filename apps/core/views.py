"""The shape every write endpoint shares: validate input, call a service, answer with the read."""

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.response import Response


class ServiceViewSetMixin:
    """Views stay thin: input serializers only validate, services write, and the response is
    read back through the view's own queryset so it has the same shape as list and detail."""

    def validated(
        self, serializer_class: type[serializers.Serializer], *, partial: bool = False
    ) -> dict[str, Any]:
        data = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def respond(self, instance: Any, status_code: int = status.HTTP_200_OK) -> Response:
        # A 404 if a concurrent request deleted it once this write had committed.
        instance = get_object_or_404(self.get_queryset(), pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status_code)
