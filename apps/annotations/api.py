"""REST endpoints for claims, claim links, readings (with votes) and suggestions."""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from apps.accounts.permissions import IsOwnerOrAdmin
from apps.annotations import selectors, services
from apps.annotations.models import Claim, ClaimLink, DefinitionCandidate, Mention, Reading
from apps.core.fields import ScopedPrimaryKeyRelatedField
from apps.core.views import ServiceViewSetMixin
from apps.forum.selectors import comments_visible
from apps.glossary.selectors import decompositions_visible, definitions_visible, terms_visible

# Readings


class ReadingSerializer(serializers.ModelSerializer):
    term_name = serializers.CharField(source="term.name", read_only=True, default=None)
    definition_label = serializers.CharField(
        source="definition.label", read_only=True, default=None
    )
    definition_text = serializers.CharField(source="definition.text", read_only=True, default=None)
    decomposition_name = serializers.CharField(
        source="decomposition.name", read_only=True, default=None
    )
    my_vote = serializers.SerializerMethodField()
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Reading
        fields = [
            "id",
            "kind",
            "claim",
            "term",
            "term_name",
            "definition",
            "definition_label",
            "definition_text",
            "decomposition",
            "decomposition_name",
            "origin",
            "confidence",
            "votes_up",
            "votes_down",
            "my_vote",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_my_vote(self, reading: Reading) -> int:
        """The requesting user's vote: 1, -1, or 0 for none."""
        votes = getattr(reading, "my_votes", [])
        return votes[0].value if votes else 0


class ReadingWriteSerializer(serializers.Serializer):
    claim = ScopedPrimaryKeyRelatedField(scope=selectors.claims_visible)
    term = ScopedPrimaryKeyRelatedField(scope=terms_visible, required=False)
    definition = ScopedPrimaryKeyRelatedField(scope=definitions_visible, required=False)
    decomposition = ScopedPrimaryKeyRelatedField(scope=decompositions_visible, required=False)


class VoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=[1, -1, 0], help_text="1 agrees, -1 disagrees, 0 withdraws your vote."
    )


class ReadingFilter(django_filters.FilterSet):
    thread = django_filters.NumberFilter(field_name="claim__comment__thread")

    class Meta:
        model = Reading
        fields = ["claim", "term", "definition", "decomposition", "kind", "origin", "thread"]


class ReadingViewSet(
    ServiceViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Sense readings {claim, term, definition} and decomposition readings
    {claim, decomposition}. Creating one records your +1 vote on it."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsOwnerOrAdmin]
    serializer_class = ReadingSerializer
    filterset_class = ReadingFilter

    def get_queryset(self):
        return selectors.reading_list(self.request.user)

    @extend_schema(request=ReadingWriteSerializer, responses={201: ReadingSerializer})
    def create(self, request, *args, **kwargs):
        reading = services.reading_create(
            user=request.user, **self.validated(ReadingWriteSerializer)
        )
        return self.respond(reading, status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.reading_delete(reading=instance)

    @extend_schema(request=VoteSerializer, responses=ReadingSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Agree (1), disagree (-1) or withdraw (0); one vote per user and reading."""
        reading = self.get_object()
        services.reading_vote(reading=reading, user=request.user, **self.validated(VoteSerializer))
        return self.respond(reading)

    def get_permissions(self):
        # Anyone who may write may vote on anyone's reading.
        if self.action == "vote":
            return [p() for p in viewsets.GenericViewSet.permission_classes]
        return super().get_permissions()


# Claims


class ClaimSerializer(serializers.ModelSerializer):
    thread = serializers.IntegerField(source="comment.thread_id", read_only=True)
    author = serializers.CharField(source="comment.author", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    readings = ReadingSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "thread",
            "comment",
            "author",
            "start",
            "end",
            "quote",
            "prefix",
            "suffix",
            "anchor",
            "note",
            "readings",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClaimWriteSerializer(serializers.Serializer):
    comment = ScopedPrimaryKeyRelatedField(scope=comments_visible)
    start = serializers.IntegerField(min_value=0, help_text="Offset of the first character.")
    end = serializers.IntegerField(min_value=1, help_text="Offset just past the last character.")
    note = serializers.CharField(allow_blank=True, required=False, max_length=5000)


class ClaimUpdateSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, required=False)
    end = serializers.IntegerField(min_value=1, required=False)
    note = serializers.CharField(allow_blank=True, required=False, max_length=5000)


class ClaimFilter(django_filters.FilterSet):
    thread = django_filters.NumberFilter(field_name="comment__thread")
    term = django_filters.NumberFilter(method="with_reading", label="Has a sense reading of term")
    definition = django_filters.NumberFilter(method="with_reading", label="Read with definition")
    decomposition = django_filters.NumberFilter(
        method="with_reading", label="Read as assuming decomposition"
    )
    author = django_filters.CharFilter(
        field_name="comment__author", lookup_expr="iexact", label="Author of the comment"
    )
    annotator = django_filters.CharFilter(
        field_name="created_by__username", label="Username of who marked the claim"
    )
    q = django_filters.CharFilter(method="search", label="Text in the quote or note")

    class Meta:
        model = Claim
        fields = ["comment", "thread", "anchor"]

    def with_reading(self, queryset, name, value):
        # A subquery, not a join, so a claim with two matching readings is listed once.
        return queryset.filter(id__in=Reading.objects.filter(**{name: value}).values("claim_id"))

    def search(self, queryset, name, value):
        return queryset.filter(Q(quote__icontains=value) | Q(note__icontains=value))


class ClaimViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Claims: spans of a comment, created with {comment, start, end} (character offsets into
    the comment's text). The server stores the quote with its prefix and suffix."""

    permission_classes = [*viewsets.ModelViewSet.permission_classes, IsOwnerOrAdmin]
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.claim_list(self.request.user)

    @extend_schema(request=ClaimWriteSerializer, responses={201: ClaimSerializer})
    def create(self, request, *args, **kwargs):
        claim = services.claim_create(user=request.user, **self.validated(ClaimWriteSerializer))
        return self.respond(claim, status.HTTP_201_CREATED)

    @extend_schema(request=ClaimUpdateSerializer, responses=ClaimSerializer)
    def partial_update(self, request, *args, **kwargs):
        claim = self.get_object()
        values = self.validated(ClaimUpdateSerializer, partial=True)
        return self.respond(services.claim_update(claim=claim, **values))

    def perform_destroy(self, instance):
        services.claim_delete(claim=instance)


# Claim links


class ClaimLinkSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    thread = serializers.IntegerField(source="source.comment.thread_id", read_only=True)

    class Meta:
        model = ClaimLink
        fields = ["id", "thread", "source", "target", "kind", "created_by", "created_at"]
        read_only_fields = ["id", "thread", "created_by", "created_at"]
        # Uniqueness is the service's check, reported as a 409 with the existing link.
        validators = []

    source = ScopedPrimaryKeyRelatedField(scope=selectors.claims_visible)
    target = ScopedPrimaryKeyRelatedField(scope=selectors.claims_visible)


class ClaimLinkFilter(django_filters.FilterSet):
    thread = django_filters.NumberFilter(field_name="source__comment__thread")
    claim = django_filters.NumberFilter(method="touching", label="Source or target claim")

    class Meta:
        model = ClaimLink
        fields = ["source", "target", "kind", "thread"]

    def touching(self, queryset, name, value):
        return queryset.filter(Q(source=value) | Q(target=value))


class ClaimLinkViewSet(
    ServiceViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Argument-map edges: `source` supports / attacks / restates / clarifies `target`."""

    permission_classes = [*viewsets.GenericViewSet.permission_classes, IsOwnerOrAdmin]
    serializer_class = ClaimLinkSerializer
    filterset_class = ClaimLinkFilter

    def get_queryset(self):
        return selectors.claim_links_visible(self.request.user)

    def create(self, request, *args, **kwargs):
        link = services.claim_link_create(user=request.user, **self.validated(ClaimLinkSerializer))
        return self.respond(link, status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.claim_link_delete(link=instance)


# Suggestions


class MentionSerializer(serializers.ModelSerializer):
    term_name = serializers.CharField(source="term.name", read_only=True)
    thread = serializers.IntegerField(source="comment.thread_id", read_only=True)

    class Meta:
        model = Mention
        fields = ["id", "thread", "comment", "term", "term_name", "start", "end", "text", "status"]
        read_only_fields = fields


class DefinitionCandidateSerializer(serializers.ModelSerializer):
    term_name = serializers.CharField(source="term.name", read_only=True)
    thread = serializers.IntegerField(source="comment.thread_id", read_only=True)

    class Meta:
        model = DefinitionCandidate
        fields = [
            "id",
            "thread",
            "comment",
            "term",
            "term_name",
            "start",
            "end",
            "sentence",
            "definition_text",
            "pattern",
            "status",
        ]
        read_only_fields = fields


class SuggestionFilter(django_filters.FilterSet):
    thread = django_filters.NumberFilter(field_name="comment__thread")

    class Meta:
        fields = ["comment", "thread", "term", "status"]


class MentionFilter(SuggestionFilter):
    class Meta(SuggestionFilter.Meta):
        model = Mention


class DefinitionCandidateFilter(SuggestionFilter):
    class Meta(SuggestionFilter.Meta):
        model = DefinitionCandidate


class MentionViewSet(viewsets.ReadOnlyModelViewSet):
    """Where known terms occur in comments, found by the term matcher after each import."""

    serializer_class = MentionSerializer
    filterset_class = MentionFilter

    def get_queryset(self):
        return selectors.mentions_visible(self.request.user)


class DefinitionCandidateViewSet(viewsets.ReadOnlyModelViewSet):
    """Sentences that look like explicit definitions of a term, found after each import."""

    serializer_class = DefinitionCandidateSerializer
    filterset_class = DefinitionCandidateFilter

    def get_queryset(self):
        return selectors.definition_candidates_visible(self.request.user)
