"""The import endpoint: upload a file or post {format, content}."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApplicationError
from apps.core.fields import ScopedPrimaryKeyRelatedField
from apps.forum.api import ThreadSerializer
from apps.forum.selectors import thread_list, threads_visible
from apps.imports.importers import FORMATS
from apps.imports.models import ImportJob
from apps.imports.services import check_import_size, import_job_create, thread_import
from apps.workspaces.api import workspace_field

ENVELOPE_BYTES = 64 * 1024


class ImportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=list(FORMATS),
        required=False,
        allow_null=True,
        help_text="Leave out to detect the format from the content.",
    )
    content = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The thread as text or JSON."
    )
    file = serializers.FileField(required=False, help_text="The thread as an uploaded file.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    workspace = workspace_field()
    thread = ScopedPrimaryKeyRelatedField(
        scope=threads_visible,
        required=False,
        help_text="Re-import into this existing thread instead of finding it by source id.",
    )
    background = serializers.BooleanField(
        default=False,
        help_text="Run as a background job: answers 202 with the job, whose progress "
        "GET /api/import-jobs/{id}/ shows.",
    )

    def validate(self, attrs):
        if ("content" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                "Give either `content` or `file`, not both or neither."
            )
        return attrs


class ImportResultSerializer(serializers.Serializer):
    thread = ThreadSerializer()
    created = serializers.BooleanField()
    comments_created = serializers.IntegerField()
    comments_updated = serializers.IntegerField()
    comments_unchanged = serializers.IntegerField()
    claims_moved = serializers.IntegerField()
    claims_orphaned = serializers.IntegerField()
    missing_comments = serializers.IntegerField(
        help_text="Comments the file mentions but leaves out (Reddit's unexpanded stubs)."
    )


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "stage",
            "format",
            "size",
            "comments_total",
            "thread",
            "result",
            "error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    """Your background imports, newest first, with their progress."""

    serializer_class = ImportJobSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = ImportJob.objects.none()  # for the schema; requests see only their own

    def get_queryset(self):
        return ImportJob.objects.filter(created_by_id=self.request.user.id)


class ThreadImportView(APIView):
    """Import a thread: pasted text, ForumMagnum GraphQL JSON, Discourse, Reddit or Hacker News.

    Importing the same thread again updates it without duplicating comments and re-anchors
    claims whose comment text changed. Answers 201 for a new thread, 200 for an update."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=ImportRequestSerializer,
        responses={
            201: ImportResultSerializer,
            200: ImportResultSerializer,
            202: ImportJobSerializer,
            400: OpenApiResponse(description="The content cannot be imported"),
            413: OpenApiResponse(description="The content is over the size limit"),
        },
    )
    def post(self, request):
        # Refuse oversized bodies before reading them; the envelope allows for form fields.
        check_import_size(int(request.META.get("CONTENT_LENGTH") or 0) - ENVELOPE_BYTES)
        data = ImportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        upload = values.get("file")
        if upload is not None:
            check_import_size(upload.size)
            content = upload.read()
        else:
            content = values["content"]
        if not content:
            raise ApplicationError(
                "The file is empty: there is nothing to import.", code="invalid_import"
            )
        if values["background"]:
            job = import_job_create(
                user=request.user,
                content=content,
                format=values.get("format"),
                workspace=values.get("workspace"),
                title=values.get("title", ""),
                thread=values.get("thread"),
            )
            job.refresh_from_db()  # an eager run (no broker) has finished already
            body = ImportJobSerializer(job, context={"request": request}).data
            return Response(body, status=status.HTTP_202_ACCEPTED)
        result = thread_import(
            user=request.user,
            content=content,
            format=values.get("format"),
            workspace=values.get("workspace"),
            title=values.get("title", ""),
            thread=values.get("thread"),
        )
        thread = thread_list(request.user).get(pk=result.thread.pk)
        body = ImportResultSerializer(
            {**result.__dict__, "thread": thread}, context={"request": request}
        ).data
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )
