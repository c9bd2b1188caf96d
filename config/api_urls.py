"""The REST API's routes: one router over every app's viewsets, plus auth and import."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import LoginView, LogoutView, MeView, TokenView
from apps.annotations.api import (
    ClaimLinkViewSet,
    ClaimViewSet,
    DefinitionCandidateViewSet,
    MentionViewSet,
    ReadingViewSet,
)
from apps.conflicts.api import ConflictViewSet
from apps.exports.api import ThreadExportView
from apps.forum.api import CommentViewSet, ThreadViewSet
from apps.glossary.api import DecompositionViewSet, DefinitionViewSet, TermViewSet
from apps.imports.api import ImportJobViewSet, ThreadImportView
from apps.workspaces.api import WorkspaceViewSet

router = DefaultRouter()
router.register("workspaces", WorkspaceViewSet, basename="workspace")
router.register("threads", ThreadViewSet, basename="thread")
router.register("comments", CommentViewSet, basename="comment")
router.register("claims", ClaimViewSet, basename="claim")
router.register("claim-links", ClaimLinkViewSet, basename="claimlink")
router.register("terms", TermViewSet, basename="term")
router.register("definitions", DefinitionViewSet, basename="definition")
router.register("decompositions", DecompositionViewSet, basename="decomposition")
router.register("readings", ReadingViewSet, basename="reading")
router.register("conflicts", ConflictViewSet, basename="conflict")
router.register("mentions", MentionViewSet, basename="mention")
router.register("import-jobs", ImportJobViewSet, basename="importjob")
router.register("definition-candidates", DefinitionCandidateViewSet, basename="definitioncandidate")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/me/", MeView.as_view(), name="auth-me"),
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    # Before the router, whose thread detail route would otherwise take "import" as an id.
    path("threads/import/", ThreadImportView.as_view(), name="thread-import"),
    # The format is in the path: DRF reads a `format` query parameter as the renderer to use.
    path(
        "threads/<int:pk>/export/<str:export_format>/",
        ThreadExportView.as_view(),
        name="thread-export",
    ),
    *router.urls,
]
