"""REST endpoints for threads and comments."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from apps.core.filters import FilterSet
from apps.forum import selectors, services
from apps.forum.models import Comment, Thread
from apps.workspaces.permissions import OWNER_WRITES


class CommentSerializer(serializers.ModelSerializer):
    # Plain strings, not URLs: "" when the forum gave no address.
    url = serializers.CharField(read_only=True, help_text="The comment's address, or empty.")

    class Meta:
        model = Comment
        fields = [
            "id",
            "thread",
            "parent",
            "author",
            "posted_at",
            "text",
            "context",
            "url",
            "score",
            "position",
        ]
        read_only_fields = fields


class CommentListSerializer(CommentSerializer):
    claim_count = serializers.IntegerField(read_only=True)

    class Meta(CommentSerializer.Meta):
        fields = [*CommentSerializer.Meta.fields, "claim_count"]
        read_only_fields = fields


class ThreadSerializer(serializers.ModelSerializer):
    source_url = serializers.CharField(
        read_only=True, help_text="The thread's address on its forum, or empty (pasted text)."
    )
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    comment_count = serializers.IntegerField(read_only=True)
    claim_count = serializers.IntegerField(read_only=True)
    open_conflict_count = serializers.IntegerField(read_only=True)
    jobs_pending = serializers.BooleanField(
        read_only=True, help_text="Suggestion or conflict detection jobs are still running."
    )

    class Meta:
        model = Thread
        fields = [
            "id",
            "workspace",
            "title",
            "source",
            "source_url",
            "external_id",
            "created_by",
            "created_at",
            "updated_at",
            "imported_at",
            "comment_count",
            "claim_count",
            "open_conflict_count",
            "jobs_pending",
        ]
        read_only_fields = [f for f in fields if f != "title"]


class ThreadDetailSerializer(ThreadSerializer):
    comments = CommentSerializer(many=True, read_only=True)

    class Meta(ThreadSerializer.Meta):
        fields = [*ThreadSerializer.Meta.fields, "comments"]


class ThreadUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)


class ThreadFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="Text in the title")
    workspace = django_filters.CharFilter(field_name="workspace__slug")

    class Meta:
        model = Thread
        fields = ["source", "workspace"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(source_url__icontains=value))


class ThreadViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Threads with their comments (flat, each with its `parent`). Create them by importing."""

    permission_classes = OWNER_WRITES
    filterset_class = ThreadFilter
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = selectors.thread_list(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("comments")
        return queryset

    def get_serializer_class(self):
        return ThreadDetailSerializer if self.action == "retrieve" else ThreadSerializer

    @extend_schema(request=ThreadUpdateSerializer, responses=ThreadSerializer)
    def partial_update(self, request, *args, **kwargs):
        thread = self.get_object()
        data = ThreadUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.thread_update(thread=thread, **data.validated_data)
        return self.retrieve(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.thread_delete(thread=instance)


class CommentFilter(FilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label="Text")
    author = django_filters.CharFilter(field_name="author", lookup_expr="iexact")

    class Meta:
        model = Comment
        fields = ["thread", "parent", "author"]


class CommentViewSet(viewsets.ReadOnlyModelViewSet):
    """Comments as imported; `?thread=ID` lists a thread's comments in display order."""

    filterset_class = CommentFilter

    def get_queryset(self):
        return selectors.comment_list(self.request.user)

    def get_serializer_class(self):
        return CommentListSerializer
