"""The FilterSet every list endpoint uses."""

import django_filters
from django import forms
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number in the range of the database's ids, else a 400 (a huge
    number would overflow SQLite's integers instead of matching nothing)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


_BY_ID = {"filter_class": IdFilter}


class FilterSet(django_filters.FilterSet):
    """Filters on related objects take bare ids and never look them up: a private object's id
    answers exactly like an unknown one (an empty page), so filters cannot probe what exists.
    The queryset being filtered is already limited to what the user may read."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: _BY_ID,
        models.OneToOneField: _BY_ID,
        models.ManyToManyField: _BY_ID,
    }
