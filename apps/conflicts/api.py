"""REST endpoints for the conflict review queue."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from apps.conflicts import selectors, services
from apps.conflicts.models import Conflict, ConflictReview
from apps.core.fields import ScopedPrimaryKeyRelatedField
from apps.core.filters import FilterSet, IdFilter
from apps.core.pagination import filters_of
from apps.core.serializers import RowsMixin
from apps.core.views import ServiceViewSetMixin
from apps.glossary.selectors import definitions_visible
from apps.workspaces.permissions import MEMBER_WRITES


# Reads rows of `selectors.with_history` too, which name the actor as `actor_username`.
class ConflictReviewSerializer(RowsMixin, serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    row_keys = {"actor": "actor_username"}

    class Meta:
        model = ConflictReview
        fields = ["action", "from_status", "to_status", "note", "actor", "created_at"]
        read_only_fields = fields


# Reads rows of `selectors.conflict_rows` too (with their history), which name the workspace
# by its slug as `workspace_slug`.
class ConflictSerializer(RowsMixin, serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    row_keys = {"workspace": "workspace_slug"}
    term_name = serializers.CharField(
        source="term.name", read_only=True, default=None, allow_null=True
    )
    thread_title = serializers.CharField(
        source="thread.title", read_only=True, default=None, allow_null=True
    )
    history = ConflictReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Conflict
        fields = [
            "id",
            "kind",
            "status",
            "severity",
            "summary",
            "evidence",
            "workspace",
            "thread",
            "thread_title",
            "term",
            "term_name",
            "other_term",
            "fingerprint",
            "detected_at",
            "created_at",
            "updated_at",
            "history",
        ]
        read_only_fields = fields


# The list's columns read as they are; the others are the names `selectors.conflict_rows` joins
# in and the history `selectors.with_history` attaches.
_ROW_COLUMNS = [
    name
    for name in ConflictSerializer.Meta.fields
    if name not in ("workspace", "thread_title", "term_name", "history")
]


class SplitPartSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Name of the new, narrower term.")
    definitions = ScopedPrimaryKeyRelatedField(
        scope=definitions_visible, many=True, help_text="Senses of the old term it takes over."
    )


class ResolutionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["merge_definitions", "split_term"])
    definitions = ScopedPrimaryKeyRelatedField(
        scope=definitions_visible,
        many=True,
        required=False,
        help_text="merge_definitions: the two definitions that state the same sense.",
    )
    parts = SplitPartSerializer(
        many=True, required=False, help_text="split_term: the terms to split off."
    )

    def validate(self, attrs):
        if attrs["type"] == "merge_definitions" and len(attrs.get("definitions", [])) != 2:
            raise serializers.ValidationError("merge_definitions needs exactly two definitions.")
        if attrs["type"] == "split_term" and not attrs.get("parts"):
            raise serializers.ValidationError("split_term needs at least one part.")
        return attrs


class ReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(services.TRANSITIONS))
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)
    resolution = ResolutionSerializer(
        required=False, help_text="With resolve: fix the cause in the same step."
    )


class ConflictFilter(FilterSet):
    workspace = django_filters.CharFilter(field_name="workspace__slug")
    term = IdFilter(method="about_term", label="Term (either term of a pair)")
    # distinct=False: a plain column test joins nothing, and DISTINCT over the evidence JSON
    # made PostgreSQL sort every matching row before it could count or page them.
    status = django_filters.MultipleChoiceFilter(choices=Conflict.Status.choices, distinct=False)
    kind = django_filters.MultipleChoiceFilter(choices=Conflict.Kind.choices, distinct=False)

    class Meta:
        model = Conflict
        fields = ["status", "kind", "term", "thread", "workspace"]

    def about_term(self, queryset, name, value):
        return queryset.filter(Q(term=value) | Q(other_term=value))


class ConflictViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Definitional conflicts flagged by the detection jobs, most severe and recent first.
    Reviewers confirm, dismiss (with a note), resolve and reopen them."""

    permission_classes = MEMBER_WRITES
    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter

    def get_queryset(self):
        return selectors.conflict_list(self.request.user)

    def list(self, request, *args, **kwargs):
        conflicts = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(selectors.conflict_rows(conflicts, _ROW_COLUMNS))
        selectors.with_history(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def known_count(self) -> int | None:
        """The review queue (filtered by status and workspace alone) pages with kept counts."""
        if self.action != "list" or not filters_of(self.request) <= {"status", "workspace"}:
            return None
        params = self.request.query_params
        statuses = params.getlist("status") or list(Conflict.Status.values)
        return selectors.conflict_count(self.request.user, statuses, params.get("workspace"))

    @extend_schema(request=ReviewSerializer, responses=ConflictSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        conflict = self.get_object()
        services.conflict_review(
            conflict=conflict, user=request.user, **self.validated(ReviewSerializer)
        )
        return self.respond(conflict)
