"""Serialising list pages read as plain rows, with the output of the model instances."""

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Any

from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

Convert = Callable[[Any], Any] | None


# For a ModelSerializer whose lists are read as rows (`QuerySet.values`), not instances.
#
# A row holds each field's value under the field's source (under its name where the source is
# a path, like "term.name"; under `row_keys[name]` where given) and each nested list as a list
# of rows. It is serialised by copying the values, times converted: DRF's work per field and
# row (a lookup, a None check and a conversion) was most of a list page's time. The values are
# the types the fields would return; tests hold each list equal to the detail views, which
# serialise instances the usual way. (A comment, not a docstring: the schema would show it as
# every such serializer's description.)
class RowsMixin:
    row_keys: dict[str, str] = {}

    def to_representation(self, instance: Any) -> dict:
        if not isinstance(instance, dict):
            return super().to_representation(instance)
        row = {}
        for name, key, convert in self._row_plan:
            value = instance[key]
            row[name] = value if convert is None or value is None else convert(value)
        return row

    @cached_property
    def _row_plan(self) -> list[tuple[str, str, Convert]]:
        return [
            (
                field.field_name,
                self.row_keys.get(
                    field.field_name, field.field_name if "." in field.source else field.source
                ),
                _converter(field),
            )
            for field in self._readable_fields
        ]


def _converter(field: serializers.Field) -> Convert:
    if isinstance(field, serializers.ListSerializer):
        child = field.child
        return lambda rows: [child.to_representation(row) for row in rows]
    if isinstance(field, serializers.DateTimeField):
        return _iso_time(field)
    return None


def _iso_time(field: serializers.DateTimeField) -> Convert:
    """The field's `to_representation` of aware times in ISO 8601, with its time zone looked
    up once, not once per value (a tenth of a claims page's time)."""
    if getattr(field, "format", api_settings.DATETIME_FORMAT).lower() != ISO_8601:
        return field.to_representation
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None:
        return field.to_representation

    def convert(value: datetime) -> str:
        if not isinstance(value, datetime) or value.tzinfo is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert
