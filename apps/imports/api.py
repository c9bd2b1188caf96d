"""The import endpoint: upload a file or post {format, content}."""

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApplicationError
from apps.core.fields import ScopedPrimaryKeyRelatedField
from apps.core.parsers import FormParser, JSONParser, content_length
from apps.forum.api import ThreadSerializer
from apps.forum.selectors import thread_list, threads_visible
from apps.imports.importers import FORMATS, ImportFile
from apps.imports.models import ImportJob
from apps.imports.services import check_import_size, import_job_create, thread_import
from apps.imports.w3c import AnnotationImportResult
from apps.workspaces.api import workspace_field

ENVELOPE_BYTES = 64 * 1024
# A long Discourse topic saved page by page (twenty-odd posts a page) stays well under this.
MAX_FILES = 100


class ImportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=list(FORMATS),
        required=False,
        allow_null=True,
        help_text="Leave out to detect the format from the content. `w3c` is W3C Web "
        "Annotation JSON-LD or a Hypothesis export, put on a thread imported before.",
    )
    content = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The thread as text or JSON."
    )
    file = serializers.ListField(
        # An empty file is refused by the view, in a message that names it.
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        allow_empty=False,
        max_length=MAX_FILES,
        help_text="The thread as an uploaded file; several `file` parts are read as the pages "
        "of one Discourse topic.",
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    workspace = workspace_field()
    thread = ScopedPrimaryKeyRelatedField(
        scope=threads_visible,
        required=False,
        help_text="Re-import into this existing thread instead of finding it by source id. "
        "For `w3c` annotations, the thread to put them on; left out, it is the thread their "
        "targets name (a comment's or the thread's URL), which must be imported already.",
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
        help_text="Comments the file mentions but leaves out (Reddit's unexpanded stubs, "
        "Discourse posts on pages not given, ForumMagnum parents not saved)."
    )
    deleted_comments = serializers.IntegerField(
        help_text="Comments the file marks deleted: their text is not imported, and they are "
        'kept as "[deleted]" only where replies hang from them.'
    )
    hidden_comments = serializers.IntegerField(
        help_text='Discourse posts hidden by flags or moderators: kept as "[hidden]" only '
        "where replies hang from them."
    )
    terms_created = serializers.IntegerField(
        help_text="Terms added from the post's glossary (ForumMagnum)."
    )
    aliases_created = serializers.IntegerField(help_text="Aliases added from the glossary.")
    aliases_skipped = serializers.IntegerField(
        help_text="Glossary aliases not added because they already name another term."
    )
    definitions_created = serializers.IntegerField(
        help_text="Definitions added from the glossary, attributed to the post's author."
    )
    definitions_updated = serializers.IntegerField(
        help_text="Definitions from an earlier import of this thread whose text changed."
    )
    glossary_skipped = serializers.IntegerField(
        help_text="Glossary entries not imported: not approved by the post's author, or deleted."
    )


class AnnotationNoteSerializer(serializers.Serializer):
    annotation = serializers.CharField(help_text="The annotation's id in the file.")
    reason = serializers.CharField()


class AnnotationImportResultSerializer(serializers.Serializer):
    """What importing W3C Web Annotations (`w3c`) onto a thread did."""

    thread = ThreadSerializer()
    annotations = serializers.IntegerField(help_text="Annotations in the file.")
    claims_created = serializers.IntegerField()
    claims_updated = serializers.IntegerField(
        help_text="Claims already there that got a note, readings or the annotation's id."
    )
    claims_unchanged = serializers.IntegerField()
    terms_created = serializers.IntegerField(help_text="Terms made from tags and classifications.")
    definitions_created = serializers.IntegerField()
    readings_created = serializers.IntegerField()
    links_created = serializers.IntegerField(
        help_text="Claim links made from linking annotations and replies."
    )
    orphans = AnnotationNoteSerializer(
        many=True, help_text="Annotations that could not be anchored or linked, and why."
    )
    ignored = AnnotationNoteSerializer(
        many=True, help_text="Parts of imported annotations that were left out, and why."
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
    """Import a thread: pasted text, ForumMagnum GraphQL JSON, Discourse, Reddit or Hacker News;
    or annotations on a thread: W3C Web Annotation JSON-LD or a Hypothesis export (`w3c`).

    Importing the same thread again updates it without duplicating comments and re-anchors
    claims whose comment text changed. Answers 201 for a new thread, 200 for an update or for
    annotations (claims, terms, readings and links; importing them again duplicates nothing)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, FormParser, parsers.MultiPartParser]

    @extend_schema(
        request=ImportRequestSerializer,
        responses={
            201: ImportResultSerializer,
            200: PolymorphicProxySerializer(
                component_name="ImportUpdateResult",
                serializers=[ImportResultSerializer, AnnotationImportResultSerializer],
                resource_type_field_name=None,
            ),
            202: ImportJobSerializer,
            400: OpenApiResponse(description="The content cannot be imported"),
            413: OpenApiResponse(description="The content is over the size limit"),
        },
    )
    def post(self, request):
        # Refuse oversized bodies before reading them; the envelope allows for form fields.
        check_import_size(content_length(request) - ENVELOPE_BYTES)
        data = ImportRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        uploads = values.get("file")
        if uploads:
            check_import_size(sum(upload.size for upload in uploads))
            files = [ImportFile(upload.name, upload.read()) for upload in uploads]
        else:
            files = [ImportFile("", values["content"])]
        for file in files:
            if not file.content:
                name = f" {file.name}" if len(files) > 1 else ""
                raise ApplicationError(
                    f"The file{name} is empty: there is nothing to import.",
                    code="invalid_import",
                )
        if values["background"]:
            job = import_job_create(
                user=request.user,
                files=files,
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
            files=files,
            format=values.get("format"),
            workspace=values.get("workspace"),
            title=values.get("title", ""),
            thread=values.get("thread"),
        )
        thread = thread_list(request.user).get(pk=result.thread.pk)
        context = {"request": request}
        if isinstance(result, AnnotationImportResult):
            body = AnnotationImportResultSerializer(
                {**result.__dict__, "thread": thread}, context=context
            ).data
            return Response(body, status=status.HTTP_200_OK)
        body = ImportResultSerializer({**result.__dict__, "thread": thread}, context=context).data
        return Response(
            body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )
