"""The FilterSet every list endpoint uses."""

import django_filters
from django.db import models
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

_BY_ID = {"filter_class": django_filters.NumberFilter}


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
