"""REST endpoints for claims, claim links, readings (with votes) and suggestions."""

from functools import cache
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.annotations import selectors, services, suggestions
from apps.annotations.models import (
    Claim,
    ClaimLink,
    DefinitionCandidate,
    Mention,
    Reading,
)
from apps.core.fields import ScopedPrimaryKeyRelatedField
from apps.core.filters import FilterSet, IdFilter
from apps.core.pagination import filters_of
from apps.core.serializers import RowsMixin
from apps.core.views import ServiceViewSetMixin
from apps.forum.selectors import comments_visible
from apps.glossary.selectors import (
    decompositions_visible,
    definitions_visible,
    definitions_with_term,
    terms_visible,
)
from apps.workspaces.permissions import MEMBER_WRITES, OWNER_WRITES

# Readings


@cache
def _columns(serializer_class: type[serializers.Serializer]) -> list[str]:
    """The columns a serializer reads (its fields' sources, nested lists aside): what a row
    must hold to be serialised like the model instance."""
    return [
        field.source
        for field in serializer_class().fields.values()
        if not isinstance(field, serializers.BaseSerializer)
    ]


def _id(source: str, **kwargs: Any) -> serializers.IntegerField:
    """A related row's id, read from its column: the same from a model instance as from a row
    of `selectors.claim_rows`."""
    return serializers.IntegerField(source=source, read_only=True, **kwargs)


# Reads readings from `selectors.reading_list` (or its rows), which annotates the names.
class ReadingSerializer(RowsMixin, serializers.ModelSerializer):
    claim = _id("claim_id")
    term = _id("term_id", allow_null=True)
    term_name = serializers.CharField(read_only=True, allow_null=True)
    definition = _id("definition_id", allow_null=True)
    definition_label = serializers.CharField(read_only=True, allow_null=True)
    definition_text = serializers.CharField(read_only=True, allow_null=True)
    decomposition = _id("decomposition_id", allow_null=True)
    decomposition_name = serializers.CharField(read_only=True, allow_null=True)
    my_vote = serializers.IntegerField(
        read_only=True, help_text="The requesting user's vote: 1, -1, or 0 for none."
    )
    created_by = serializers.CharField(
        source="created_by_username",
        read_only=True,
        allow_null=True,
        help_text="Username of who made it.",
    )

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


class ReadingWriteSerializer(serializers.Serializer):
    # With what reading_create checks (the claim's workspace, the definition's term) loaded.
    claim = ScopedPrimaryKeyRelatedField(scope=selectors.claims_with_workspace)
    term = ScopedPrimaryKeyRelatedField(scope=terms_visible, required=False)
    definition = ScopedPrimaryKeyRelatedField(scope=definitions_with_term, required=False)
    decomposition = ScopedPrimaryKeyRelatedField(scope=decompositions_visible, required=False)


class VoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=[1, -1, 0], help_text="1 agrees, -1 disagrees, 0 withdraws your vote."
    )


class ReadingFilter(FilterSet):
    thread = IdFilter(field_name="claim__comment__thread")

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

    permission_classes = OWNER_WRITES
    serializer_class = ReadingSerializer
    filterset_class = ReadingFilter

    def get_queryset(self):
        readings = selectors.reading_list(self.request.user)
        if self.action in ("vote", "destroy"):
            # The permission check and the service read the workspace through the claim.
            readings = readings.select_related("claim__comment__thread__workspace")
        return readings

    @extend_schema(request=ReadingWriteSerializer, responses={201: ReadingSerializer})
    def create(self, request, *args, **kwargs):
        reading = services.reading_create(
            user=request.user, **self.validated(ReadingWriteSerializer)
        )
        created = self.get_serializer(selectors.as_created(reading))
        return Response(created.data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.reading_delete(reading=instance)

    @extend_schema(request=VoteSerializer, responses=ReadingSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        """Agree (1), disagree (-1) or withdraw (0); one vote per user and reading."""
        reading = self.get_object()
        value = self.validated(VoteSerializer)["value"]
        # The tallies are read back before the commit, while the vote holds the reading's row:
        # the answer shows this vote, and a concurrent delete of the reading waits until it is
        # sent. Of what the answer shows, a vote changes only the tallies and the user's vote.
        with transaction.atomic():
            services.reading_vote(reading=reading, user=request.user, value=value)
            reading.refresh_from_db(fields=["votes_up", "votes_down", "updated_at"])
        reading.my_vote = value
        return Response(self.get_serializer(reading).data)

    def get_permissions(self):
        # Anyone who may write may vote on anyone's reading.
        if self.action == "vote":
            return [p() for p in MEMBER_WRITES]
        return super().get_permissions()


# Claims


# Reads claims from `selectors.claim_detail` (or rows of `claim_list`), which annotate the
# comment's fields.
class ClaimSerializer(RowsMixin, serializers.ModelSerializer):
    comment = _id("comment_id")
    thread = serializers.IntegerField(source="comment_thread", read_only=True)
    author = serializers.CharField(source="comment_author", read_only=True)
    created_by = serializers.CharField(
        source="created_by_username",
        read_only=True,
        allow_null=True,
        help_text="Username of who made it.",
    )
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
    start = serializers.IntegerField(
        min_value=0,
        help_text="Offset of the first character in the comment's text, counted in Unicode "
        "code points (not UTF-16 units).",
    )
    end = serializers.IntegerField(
        min_value=1, help_text="Offset just past the last character, in code points."
    )
    note = serializers.CharField(allow_blank=True, required=False, max_length=5000)


class ClaimUpdateSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, required=False)
    end = serializers.IntegerField(min_value=1, required=False)
    note = serializers.CharField(allow_blank=True, required=False, max_length=5000)


class ClaimFilter(FilterSet):
    thread = IdFilter(field_name="comment__thread")
    term = IdFilter(method="with_reading", label="Has a sense reading of term")
    definition = IdFilter(method="with_reading", label="Read with definition")
    decomposition = IdFilter(method="with_reading", label="Read as assuming decomposition")
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

    permission_classes = OWNER_WRITES
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.claim_list(self.request.user)
        claims = selectors.claim_detail(self.request.user)
        if self.action in ("partial_update", "destroy"):
            # The permission check and the service read the comment's text and workspace.
            claims = claims.select_related("comment__thread__workspace")
        return claims

    def list(self, request, *args, **kwargs):
        claims = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(selectors.claim_rows(claims, _columns(ClaimSerializer)))
        selectors.with_readings(request.user, page, _columns(ReadingSerializer))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def known_count(self) -> int | None:
        """Filtered by a term alone, the claims are the term's, and the term counts them
        (a term's claims share its workspace, so they are readable when the term is)."""
        if self.action != "list" or filters_of(self.request) != {"term"}:
            return None
        term = self.request.query_params["term"]
        return (
            terms_visible(self.request.user)
            .filter(pk=term)
            .values_list("claim_count", flat=True)
            .first()
        )

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
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    thread = serializers.IntegerField(source="source.comment.thread_id", read_only=True)

    class Meta:
        model = ClaimLink
        fields = ["id", "thread", "source", "target", "kind", "created_by", "created_at"]
        read_only_fields = ["id", "thread", "created_by", "created_at"]
        # Uniqueness is the service's check, reported as a 409 with the existing link.
        validators = []

    source = ScopedPrimaryKeyRelatedField(scope=selectors.claims_visible)
    target = ScopedPrimaryKeyRelatedField(scope=selectors.claims_visible)


class ClaimLinkFilter(FilterSet):
    thread = IdFilter(field_name="source__comment__thread")
    claim = IdFilter(method="touching", label="Source or target claim")

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

    permission_classes = OWNER_WRITES
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
        fields = [
            "id",
            "thread",
            "comment",
            "term",
            "term_name",
            "start",
            "end",
            "text",
            "status",
            "decided_by",
        ]
        read_only_fields = fields


class DefinitionCandidateSerializer(serializers.ModelSerializer):
    term_name = serializers.CharField(
        source="term.name",
        read_only=True,
        default=None,
        help_text="Empty when the phrase is not a known term yet; accepting creates it.",
    )
    thread = serializers.IntegerField(source="comment.thread_id", read_only=True)

    class Meta:
        model = DefinitionCandidate
        fields = [
            "id",
            "thread",
            "comment",
            "term",
            "term_text",
            "term_name",
            "start",
            "end",
            "sentence",
            "definition_text",
            "pattern",
            "status",
            "decided_by",
        ]
        read_only_fields = fields


class MentionAcceptSerializer(serializers.Serializer):
    definition = ScopedPrimaryKeyRelatedField(
        scope=definitions_visible,
        required=False,
        allow_null=True,
        help_text="The sense the term carries here: also creates a claim over the sentence "
        "and a sense reading on it.",
    )


class MentionAcceptedSerializer(MentionSerializer):
    claim = serializers.IntegerField(read_only=True, allow_null=True)
    reading = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta(MentionSerializer.Meta):
        fields = [*MentionSerializer.Meta.fields, "claim", "reading"]
        read_only_fields = fields


class DefinitionCandidateAcceptSerializer(serializers.Serializer):
    term = ScopedPrimaryKeyRelatedField(
        scope=terms_visible,
        required=False,
        allow_null=True,
        help_text="The term defined, when not the one proposed (default: the known term, or "
        "a new term named after the phrase found).",
    )
    text = serializers.CharField(
        required=False, max_length=5000, help_text="The definition, reworded if need be."
    )
    label = serializers.CharField(required=False, allow_blank=True, max_length=120)


class DefinitionCandidateAcceptedSerializer(DefinitionCandidateSerializer):
    claim = serializers.IntegerField(read_only=True)
    definition = serializers.IntegerField(read_only=True)
    reading = serializers.IntegerField(read_only=True)

    class Meta(DefinitionCandidateSerializer.Meta):
        fields = [*DefinitionCandidateSerializer.Meta.fields, "claim", "definition", "reading"]
        read_only_fields = fields


class SuggestionFilter(FilterSet):
    thread = IdFilter(field_name="comment__thread")

    class Meta:
        fields = ["comment", "thread", "term", "status"]


class MentionFilter(SuggestionFilter):
    q = django_filters.CharFilter(method="search", label="Text of the mention or term name")

    class Meta(SuggestionFilter.Meta):
        model = Mention

    def search(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(term__name__icontains=value))


class DefinitionCandidateFilter(SuggestionFilter):
    q = django_filters.CharFilter(
        method="search", label="Text in the defined phrase, the sentence or the definition"
    )

    class Meta(SuggestionFilter.Meta):
        model = DefinitionCandidate

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(term_text__icontains=value)
            | Q(sentence__icontains=value)
            | Q(definition_text__icontains=value)
        )


class MentionViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Where known terms occur in comments, found by the term matcher after each import.
    Lists show every status; filter with `status=suggested` for the review queue."""

    permission_classes = MEMBER_WRITES
    serializer_class = MentionSerializer
    filterset_class = MentionFilter

    def get_queryset(self):
        return selectors.mentions_visible(self.request.user)

    @extend_schema(request=MentionAcceptSerializer, responses=MentionAcceptedSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Confirm the mention, for everyone; with `definition`, also record the sense the
        term carries here (a claim over the sentence and a sense reading)."""
        result = suggestions.mention_accept(
            mention=self.get_object(),
            user=request.user,
            **self.validated(MentionAcceptSerializer),
        )
        response = self.respond(result.mention)
        response.data = {
            **response.data,
            "claim": result.claim.id if result.claim else None,
            "reading": result.reading.id if result.reading else None,
        }
        return response

    @extend_schema(request=None, responses=MentionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Hide the mention for everyone; later suggestion runs keep it rejected."""
        mention = suggestions.mention_reject(mention=self.get_object(), user=request.user)
        return self.respond(mention)


class DefinitionCandidateViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Sentences that look like explicit definitions of a term, found after each import.
    Lists show every status; filter with `status=suggested` for the review queue."""

    permission_classes = MEMBER_WRITES
    serializer_class = DefinitionCandidateSerializer
    filterset_class = DefinitionCandidateFilter

    def get_queryset(self):
        return selectors.definition_candidates_visible(self.request.user)

    @extend_schema(
        request=DefinitionCandidateAcceptSerializer,
        responses=DefinitionCandidateAcceptedSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Turn the candidate into a claim over its sentence, a definition stated by it and a
        sense reading, in one step. `term`, `text` and `label` correct the proposal."""
        result = suggestions.definition_candidate_accept(
            candidate=self.get_object(),
            user=request.user,
            **self.validated(DefinitionCandidateAcceptSerializer),
        )
        response = self.respond(result.candidate)
        response.data = {
            **response.data,
            "claim": result.claim.id,
            "definition": result.definition.id,
            "reading": result.reading.id,
        }
        return response

    @extend_schema(request=None, responses=DefinitionCandidateSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Hide the candidate for everyone; later suggestion runs keep it rejected."""
        candidate = suggestions.definition_candidate_reject(
            candidate=self.get_object(), user=request.user
        )
        return self.respond(candidate)
