"""REST endpoints for the conflict review queue."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from apps.conflicts import selectors, services
from apps.conflicts.models import Conflict, ConflictReview
from apps.core.views import ServiceViewSetMixin


class ConflictReviewSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ConflictReview
        fields = ["action", "from_status", "to_status", "note", "actor", "created_at"]
        read_only_fields = fields


class ConflictSerializer(serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    term_name = serializers.CharField(source="term.name", read_only=True, default=None)
    thread_title = serializers.CharField(source="thread.title", read_only=True, default=None)
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
            "fingerprint",
            "detected_at",
            "created_at",
            "updated_at",
            "history",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(services.TRANSITIONS))
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class ConflictFilter(django_filters.FilterSet):
    workspace = django_filters.CharFilter(field_name="workspace__slug")
    status = django_filters.MultipleChoiceFilter(choices=Conflict.Status.choices)
    kind = django_filters.MultipleChoiceFilter(choices=Conflict.Kind.choices)

    class Meta:
        model = Conflict
        fields = ["status", "kind", "term", "thread", "workspace"]


class ConflictViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Definitional conflicts flagged by the detection jobs, most severe and recent first.
    Reviewers confirm, dismiss (with a note), resolve and reopen them."""

    serializer_class = ConflictSerializer
    filterset_class = ConflictFilter

    def get_queryset(self):
        return selectors.conflict_list(self.request.user)

    @extend_schema(request=ReviewSerializer, responses=ConflictSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        conflict = self.get_object()
        services.conflict_review(
            conflict=conflict, user=request.user, **self.validated(ReviewSerializer)
        )
        return self.respond(conflict)
