"""Serializer fields shared by the apps' APIs."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers


class ScopedRelatedFieldMixin:
    """A reference that must name an object the requesting user may read.

    References outside the user's scope fail exactly like ones that do not exist, so a
    reference cannot probe for private objects."""

    def __init__(self, scope: Callable[[Any], QuerySet], **kwargs: Any) -> None:
        self.scope = scope
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", scope(None).none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None))


class ScopedPrimaryKeyRelatedField(ScopedRelatedFieldMixin, serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data: Any) -> Any:
        # A lookup casts 1.5 to 1: a fractional id would name another object in silence.
        if isinstance(data, float) and not data.is_integer():
            self.fail("incorrect_type", data_type="a fractional number")
        return super().to_internal_value(data)


class ScopedSlugRelatedField(ScopedRelatedFieldMixin, serializers.SlugRelatedField):
    pass
