"""REST endpoints for terms, definitions and decompositions."""

import django_filters
from django.apps import apps
from django.db import transaction
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action

from apps.core.fields import ScopedPrimaryKeyRelatedField
from apps.core.filters import FilterSet, IdFilter
from apps.core.views import ServiceViewSetMixin
from apps.glossary import selectors, services
from apps.glossary.models import Decomposition, Definition, DefinitionRevision, Term
from apps.workspaces.api import workspace_field
from apps.workspaces.permissions import MEMBER_WRITES, OWNER_WRITES
from apps.workspaces.selectors import default_workspace, readable_q


def claims_visible(user):
    # Claims belong to the annotations app, which depends on this one: looked up by name.
    claim_model = apps.get_model("annotations", "Claim")
    return claim_model.objects.filter(readable_q(user, "comment__thread__workspace"))


# Terms


class TermSerializer(serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    aliases = serializers.SerializerMethodField()
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Term
        fields = [
            "id",
            "workspace",
            "name",
            "aliases",
            "normalized",
            "description",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_aliases(self, term: Term) -> list[str]:
        return [alias.text for alias in term.alias_rows]


class TermWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=services.MAX_ALIASES, required=False
    )
    description = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    workspace = workspace_field()


class TermUpdateSerializer(TermWriteSerializer):
    name = serializers.CharField(max_length=200, required=False)
    workspace = None


class TermFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="Text in the name or an alias")
    workspace = django_filters.CharFilter(field_name="workspace__slug")

    class Meta:
        model = Term
        fields = ["workspace"]

    def search(self, queryset, name, value):
        return selectors.terms_matching(queryset, value)


class TermViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Terms with their aliases. Spelling variants (case, hyphens, -ise/-ize, plurals) of a name
    or alias are the same term and need not be listed."""

    permission_classes = OWNER_WRITES
    serializer_class = TermSerializer
    filterset_class = TermFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.term_list(self.request.user)

    @extend_schema(request=TermWriteSerializer, responses={201: TermSerializer})
    def create(self, request, *args, **kwargs):
        values = self.validated(TermWriteSerializer)
        values.setdefault("workspace", default_workspace())
        term = services.term_create(user=request.user, **values)
        return self.respond(term, status.HTTP_201_CREATED)

    @extend_schema(request=TermUpdateSerializer, responses=TermSerializer)
    def partial_update(self, request, *args, **kwargs):
        term = self.get_object()
        values = self.validated(TermUpdateSerializer, partial=True)
        return self.respond(services.term_update(term=term, **values))

    def perform_destroy(self, instance):
        services.term_delete(term=instance)


# Definitions


class DefinitionSerializer(serializers.ModelSerializer):
    term_name = serializers.CharField(source="term.name", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    equivalent_to = serializers.SerializerMethodField()

    class Meta:
        model = Definition
        fields = [
            "id",
            "term",
            "term_name",
            "text",
            "label",
            "proposed_by",
            "source_claim",
            "equivalent_to",
            "version",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_equivalent_to(self, definition: Definition) -> list[int]:
        return sorted(
            [e.second_id for e in definition.equivalences_as_first.all()]
            + [e.first_id for e in definition.equivalences_as_second.all()]
        )


class DefinitionWriteSerializer(serializers.Serializer):
    term = ScopedPrimaryKeyRelatedField(scope=selectors.terms_visible)
    text = serializers.CharField(max_length=5000)
    label = serializers.CharField(max_length=120, allow_blank=True, required=False)
    proposed_by = serializers.CharField(max_length=200, allow_blank=True, required=False)
    source_claim = ScopedPrimaryKeyRelatedField(
        scope=claims_visible, required=False, allow_null=True
    )


class DefinitionUpdateSerializer(DefinitionWriteSerializer):
    """An edit of a definition: any of its fields, and the `version` it was made from."""

    term = None
    text = serializers.CharField(max_length=5000, required=False)
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,  # the column's range: a larger number is a 400, not a DataError
        help_text="The version of the definition this edit was made from (its `version` field "
        "when you read it). Required: if someone else has edited it since, the answer is 409 "
        "with the current version and text.",
        error_messages={
            "required": "Send the version of the definition you edited (its `version` field as "
            "you read it), so that an edit made since is not overwritten."
        },
    )

    # Even as a PATCH this input is never partial: every other field is optional, but `version`
    # is required, in validation and in the schema (which drops `required` from partial input).
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


class DefinitionRevisionSerializer(serializers.ModelSerializer):
    edited_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = DefinitionRevision
        fields = [
            "version",
            "text",
            "label",
            "proposed_by",
            "source_claim",
            "edited_by",
            "edited_at",
        ]
        read_only_fields = fields


class EquivalenceSerializer(serializers.Serializer):
    definition = ScopedPrimaryKeyRelatedField(scope=selectors.definitions_visible)
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class DefinitionFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="Text in the definition or label")
    workspace = django_filters.CharFilter(field_name="term__workspace__slug")

    class Meta:
        model = Definition
        fields = ["term", "workspace", "source_claim"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(label__icontains=value))


class DefinitionViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Senses of terms. Reviewers mark two definitions equivalent (the same sense)."""

    permission_classes = OWNER_WRITES
    serializer_class = DefinitionSerializer
    filterset_class = DefinitionFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.definition_list(self.request.user)

    @extend_schema(request=DefinitionWriteSerializer, responses={201: DefinitionSerializer})
    def create(self, request, *args, **kwargs):
        values = self.validated(DefinitionWriteSerializer)
        definition = services.definition_create(user=request.user, **values)
        return self.respond(definition, status.HTTP_201_CREATED)

    @extend_schema(request=DefinitionUpdateSerializer, responses=DefinitionSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Edit from the `version` you read; 409 (code `stale_version`, with the current
        `version`, `text` and `label` in `detail`) when someone else has edited it since."""
        definition = self.get_object()
        values = self.validated(DefinitionUpdateSerializer)
        # Read back before the commit, while the edit holds the row: the answer is the version
        # this edit made, not a later one, so the client edits on from what it sees.
        with transaction.atomic():
            edited = services.definition_update(definition=definition, user=request.user, **values)
            return self.respond(edited)

    @extend_schema(responses=DefinitionRevisionSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        """The definition's earlier versions, newest first: each as it was until `edited_by`
        replaced it with the next version at `edited_at`."""
        revisions = selectors.definition_revisions(self.get_object())
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(DefinitionRevisionSerializer(page, many=True).data)

    def perform_destroy(self, instance):
        services.definition_delete(definition=instance)

    @extend_schema(request=EquivalenceSerializer, responses=DefinitionSerializer)
    @action(detail=True, methods=["post"], url_path="mark-equivalent")
    def mark_equivalent(self, request, pk=None):
        """Mark this definition and `definition` as the same sense (reviewers)."""
        definition = self.get_object()
        values = self.validated(EquivalenceSerializer)
        services.definitions_mark_equivalent(
            user=request.user,
            definition=definition,
            other=values["definition"],
            note=values["note"],
        )
        return self.respond(definition)

    @extend_schema(request=EquivalenceSerializer, responses=DefinitionSerializer)
    @action(detail=True, methods=["post"], url_path="unmark-equivalent")
    def unmark_equivalent(self, request, pk=None):
        """Take back an equivalence between this definition and `definition` (reviewers)."""
        definition = self.get_object()
        values = self.validated(EquivalenceSerializer)
        services.definitions_unmark_equivalent(
            user=request.user, definition=definition, other=values["definition"]
        )
        return self.respond(definition)

    def get_permissions(self):
        # Equivalence is a reviewer's call on anyone's definitions, not an owner's edit.
        if self.action in ("mark_equivalent", "unmark_equivalent"):
            return [p() for p in MEMBER_WRITES]
        return super().get_permissions()


# Decompositions


class DecompositionDefinitionSerializer(serializers.ModelSerializer):
    term_name = serializers.CharField(source="term.name", read_only=True)

    class Meta:
        model = Definition
        fields = ["id", "term", "term_name", "label", "text"]
        read_only_fields = fields


class DecompositionSerializer(serializers.ModelSerializer):
    workspace = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    definitions = DecompositionDefinitionSerializer(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Decomposition
        fields = [
            "id",
            "workspace",
            "name",
            "description",
            "definitions",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DecompositionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    definitions = ScopedPrimaryKeyRelatedField(
        scope=selectors.definitions_visible, many=True, required=False
    )
    workspace = workspace_field()


class DecompositionUpdateSerializer(DecompositionWriteSerializer):
    name = serializers.CharField(max_length=200, required=False)
    workspace = None


class DecompositionFilter(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    workspace = django_filters.CharFilter(field_name="workspace__slug")
    definition = IdFilter(field_name="definitions")
    term = IdFilter(field_name="definitions__term", distinct=True)

    class Meta:
        model = Decomposition
        fields = ["workspace", "definition", "term"]


class DecompositionViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Named sets of definitions that split a problem, e.g. one author's outer + inner."""

    permission_classes = OWNER_WRITES
    serializer_class = DecompositionSerializer
    filterset_class = DecompositionFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.decomposition_list(self.request.user)

    @extend_schema(request=DecompositionWriteSerializer, responses={201: DecompositionSerializer})
    def create(self, request, *args, **kwargs):
        values = self.validated(DecompositionWriteSerializer)
        values.setdefault("workspace", default_workspace())
        item = services.decomposition_create(user=request.user, **values)
        return self.respond(item, status.HTTP_201_CREATED)

    @extend_schema(request=DecompositionUpdateSerializer, responses=DecompositionSerializer)
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        values = self.validated(DecompositionUpdateSerializer, partial=True)
        return self.respond(services.decomposition_update(decomposition=item, **values))

    def perform_destroy(self, instance):
        services.decomposition_delete(decomposition=instance)
