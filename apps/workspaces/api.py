"""REST endpoints for workspaces, and the workspace reference other apps' writes take."""

from rest_framework import serializers, viewsets

from apps.core.fields import ScopedSlugRelatedField
from apps.workspaces.models import Workspace
from apps.workspaces.selectors import readable_workspaces


def workspace_field(**kwargs) -> ScopedSlugRelatedField:
    """The `workspace` input of a create: a readable workspace's slug, "public" by default."""
    return ScopedSlugRelatedField(
        scope=readable_workspaces,
        slug_field="slug",
        required=False,
        help_text="Slug of the workspace; the public workspace when left out.",
        **kwargs,
    )


class WorkspaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workspace
        fields = ["id", "slug", "name", "description", "visibility", "created_at"]
        read_only_fields = fields


class WorkspaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Workspaces the user may read. Admins create them and manage members in the admin."""

    serializer_class = WorkspaceSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return readable_workspaces(self.request.user)
