"""Importing a thread: parse, then upsert the thread and its comments in one transaction."""

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import can_change
from apps.annotations import jobs as suggestion_jobs
from apps.annotations.services import claims_reanchor
from apps.conflicts import triggers
from apps.core.db import copy_insert, reserve_ids
from apps.core.errors import ApplicationError, PayloadTooLarge, PermissionDenied
from apps.core.outbox import request_jobs
from apps.forum.models import Comment, Thread
from apps.glossary.services import StatedSense, senses_import
from apps.imports.importers import (
    ImportFile,
    ParsedAnnotations,
    decode_text,
    load_pages,
    parse_files,
)
from apps.imports.importers.base import (
    MAX_ID,
    MAX_URL,
    ImportFormatError,
    ParsedComment,
    ParsedThread,
)
from apps.imports.importers.w3c import FORMAT as W3C
from apps.imports.models import ImportJob
from apps.imports.w3c import AnnotationImportResult, annotations_import
from apps.workspaces.models import Workspace
from apps.workspaces.selectors import check_can_write, default_workspace

# The title of a new thread whose file has none (e.g. comments saved without their post).
UNTITLED = "Untitled thread"


@dataclass(frozen=True)
class ImportResult:
    thread: Thread
    created: bool
    comments_created: int
    comments_updated: int
    comments_unchanged: int
    claims_moved: int
    claims_orphaned: int
    # Comments the file left out (e.g. Reddit's unexpanded "more" stubs): not imported.
    missing_comments: int = 0
    # Comments the file marks deleted or hidden: kept as a placeholder only if replied to.
    deleted_comments: int = 0
    hidden_comments: int = 0
    # From the post's glossary (ForumMagnum): its approved entries, and the entries skipped.
    terms_created: int = 0
    aliases_created: int = 0
    aliases_skipped: int = 0
    definitions_created: int = 0
    definitions_updated: int = 0
    glossary_skipped: int = 0


def check_import_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise PayloadTooLarge(
            f"The import is {size:,} bytes; the limit is {limit:,} bytes.",
            detail={"size": size, "limit": limit},
        )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fits(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise ImportFormatError(
            f"The {what} {value[:40]!r}… is {len(value)} characters long; at most {limit} fit.",
            detail={"length": len(value), "limit": limit},
        )
    return value


def fit_to_columns(parsed: ParsedThread) -> ParsedThread:
    """Make a parsed thread storable. Importers check their own fields and name them; this is
    the last guard for any importer: ids and URLs must fit (cutting them would change what they
    point at), display text is shortened with an ellipsis."""
    return replace(
        parsed,
        external_id=_fits(parsed.external_id, MAX_ID, "thread id"),
        title=_shorten(parsed.title, 500),
        source_url=_fits(parsed.source_url, MAX_URL, "thread URL"),
        comments=[_fit_comment(comment) for comment in parsed.comments],
        glossary=[replace(entry, author=_shorten(entry.author, 200)) for entry in parsed.glossary],
    )


def _fit_comment(comment: ParsedComment) -> ParsedComment:
    _fits(comment.external_id, MAX_ID, "comment id")
    _fits(comment.url, MAX_URL, "comment URL")
    author, context = _shorten(comment.author, 200), _shorten(comment.context, 500)
    if author is comment.author and context is comment.context:
        return comment  # the usual case: copying thousands of comments for nothing is slow
    return replace(comment, author=author, context=context)


def thread_import(
    *,
    user: Any,
    content: str | bytes = "",
    files: Sequence[ImportFile] = (),
    format: str | None = None,
    workspace: Workspace | None = None,
    title: str = "",
    thread: Thread | None = None,
) -> ImportResult | AnnotationImportResult:
    """Import `content`, or `files` (the pages of one Discourse topic, or one file); importing
    the same thread again updates it in place. W3C Web Annotations (`w3c`) go on `thread`, or
    on the thread their targets name, as claims (apps/imports/w3c.py).

    The thread is found by its source and external id (or given as `thread`); comments by
    their external id. Claims on comments whose text changed are re-anchored by their quote.
    Either everything is written or, on any error, nothing. `user` None is the operator at the
    command line, who may write anywhere."""
    files = files or [ImportFile("", content)]
    check_import_size(sum(_size(file.content) for file in files))
    parsed = _parse(files, format, title)
    if isinstance(parsed, ParsedAnnotations):
        with transaction.atomic():
            return annotations_import(user=user, parsed=parsed, thread=thread)
    workspace = _check_allowed(user, workspace, thread)
    with transaction.atomic():
        return _upsert(user=user, parsed=parsed, workspace=workspace, thread=thread)


def _parse(
    files: Sequence[ImportFile], format: str | None, title: str
) -> ParsedThread | ParsedAnnotations:
    parsed = parse_files(files, format, title=title)
    return parsed if isinstance(parsed, ParsedAnnotations) else fit_to_columns(parsed)


def _size(content: str | bytes) -> int:
    return len(content.encode("utf-8") if isinstance(content, str) else content)


def _check_allowed(
    user: Any, workspace: Workspace | None, thread: Thread | None, *, annotations: bool = False
) -> Workspace:
    """The workspace the import goes to, once the user may import there."""
    workspace = thread.workspace if thread is not None else (workspace or default_workspace())
    if user is not None:
        check_can_write(user, workspace)
        # Annotating a thread is open to its workspace's writers; replacing its comments is not.
        if thread is not None and not annotations and not can_change(user, thread.created_by_id):
            raise PermissionDenied(
                "Only the user who imported this thread, or an admin, may re-import into it."
            )
    return workspace


IMPORT_TASK = "apps.imports.tasks.run_import_job_task"


def import_job_create(
    *,
    user: Any,
    content: str | bytes = "",
    files: Sequence[ImportFile] = (),
    format: str | None = None,
    workspace: Workspace | None = None,
    title: str = "",
    thread: Thread | None = None,
) -> ImportJob:
    """Queue an import of `content` or `files` for a worker; the job's stage and counts show
    its progress."""
    files = files or [ImportFile("", content)]
    check_import_size(sum(_size(file.content) for file in files))
    content = files[0].content
    if len(files) > 1:
        # The job holds one text: the pages as one JSON list, which the Discourse importer
        # reads as it is. Loaded here, so a file that is no page is refused by name now.
        content = json.dumps(load_pages(files, format), ensure_ascii=False)
    if isinstance(content, bytes):
        # Decoded here so a file that is not text is refused now, not in the worker.
        content = decode_text(content)
    # Left out, the format is known only once the worker parses the file: the rule for
    # re-importing into a named thread, which annotations are exempt from, is checked there.
    workspace = _check_allowed(user, workspace, thread, annotations=format in (None, W3C))
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=user,
            workspace=workspace,
            target_thread=thread,
            format=format or "",
            title=title,
            content=content,
            size=_size(content),
        )
        request_jobs(IMPORT_TASK, [str(job.id)])
    return job


def import_job_run(*, job_id: int) -> None:
    """Run a queued import; a failure is recorded on the job, never raised to the worker."""
    job = ImportJob.objects.filter(id=job_id).exclude(status=ImportJob.Status.DONE).first()
    if job is None:
        return  # done already (a retried message) or deleted
    _progress(job, status=ImportJob.Status.RUNNING, stage=ImportJob.Stage.PARSING)
    try:
        parsed = _parse([ImportFile("", job.content)], job.format or None, job.title)
        annotations = isinstance(parsed, ParsedAnnotations)
        total = None if annotations else len(parsed.comments)
        _progress(job, stage=ImportJob.Stage.SAVING, comments_total=total)
        with transaction.atomic():
            if annotations:
                # Found from the annotations' targets when no thread was named.
                result = annotations_import(
                    user=job.created_by, parsed=parsed, thread=job.target_thread
                )
            else:
                _check_allowed(job.created_by, job.workspace, job.target_thread)
                result = _upsert(
                    user=job.created_by,
                    parsed=parsed,
                    workspace=job.workspace,
                    thread=job.target_thread,
                )
    except ApplicationError as error:
        _progress(
            job,
            status=ImportJob.Status.FAILED,
            error={"code": error.code, "message": error.message, "detail": error.detail},
            content="",
        )
        return
    counts = {k: v for k, v in result.__dict__.items() if k != "thread"}
    _progress(
        job,
        status=ImportJob.Status.DONE,
        stage=ImportJob.Stage.DONE,
        thread=result.thread,
        result=counts,
        content="",
    )


def _progress(job: ImportJob, **changes: Any) -> None:
    # Saved outside the import's transaction, so the dialog polling the job sees each stage.
    for field, value in changes.items():
        setattr(job, field, value)
    job.save(update_fields=[*changes, "updated_at"])


def _upsert(
    *, user: Any, parsed: ParsedThread, workspace: Workspace, thread: Thread | None
) -> ImportResult:
    now = timezone.now()
    created = False
    if thread is None:
        thread, created = Thread.objects.get_or_create(
            workspace=workspace,
            source=parsed.source,
            external_id=parsed.external_id,
            defaults={
                "title": parsed.title or UNTITLED,
                "source_url": parsed.source_url,
                "created_by": user,
            },
        )
    # Serialises concurrent re-imports of one thread instead of letting them race per comment.
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.title = parsed.title or thread.title
    thread.source_url = parsed.source_url or thread.source_url
    thread.imported_at = now
    thread.save()

    existing = {c.external_id: c for c in Comment.objects.filter(thread=thread)}
    # A file of comments without their post: its top-level comments reply to the post an
    # earlier import stored, which stays first.
    root = None if parsed.post_included else existing.get(parsed.external_id)
    new, changed_text, changed_meta = [], [], []
    for position, item in enumerate(parsed.comments, start=1 if root else 0):
        values = {
            "author": item.author,
            "posted_at": item.posted_at,
            "context": item.context,
            "url": item.url,
            "score": item.score,
            "position": position,
        }
        comment = existing.get(item.external_id)
        if comment is None:
            comment = Comment(thread=thread, external_id=item.external_id, text=item.text, **values)
            existing[item.external_id] = comment
            new.append(comment)
            continue
        if comment.text != item.text:
            comment.text = item.text
            changed_text.append(comment)
        elif any(getattr(comment, k) != v for k, v in values.items()):
            changed_meta.append(comment)
        for key, value in values.items():
            setattr(comment, key, value)
    # Deleted or hidden since the last import, and left out now: the text goes, the row stays
    # (its claims are orphaned, not lost).
    withdrawn = [
        comment
        for external_id, placeholder in parsed.withdrawn.items()
        if (comment := existing.get(external_id)) is not None and comment.text != placeholder
    ]
    for comment in withdrawn:
        comment.text = parsed.withdrawn[comment.external_id]
    changed_text.extend(withdrawn)
    # Parents are resolved once every comment has an id. On PostgreSQL new comments take theirs
    # from the sequence first and are inserted with their parents: setting them afterwards
    # would be an UPDATE of every reply, which costs far more than the insert.
    ids_reserved = reserve_ids(Comment, new)
    if not ids_reserved:
        Comment.objects.bulk_create(new)
    reparented = []
    for item in parsed.comments:
        comment = existing[item.external_id]
        parent = existing[item.parent_external_id] if item.parent_external_id else root
        parent_id = parent.id if parent else None
        if comment.parent_id != parent_id:
            comment.parent_id = parent_id
            reparented.append(comment)
    post = existing.get(parsed.external_id)
    if parsed.post_included and post is not None and post.parent_id is None:
        # Comments imported earlier without their post hung from nothing: they reply to it.
        in_file = {item.external_id for item in parsed.comments}
        strays = [c for c in existing.values() if c.parent_id is None and c is not post]
        for comment in strays:
            if comment.external_id not in in_file:
                comment.parent_id = post.id
                reparented.append(comment)
    if ids_reserved:
        copy_insert(Comment, new)
        inserted = {id(c) for c in new}
        reparented = [c for c in reparented if id(c) not in inserted]
    fields = ["text", "author", "posted_at", "context", "url", "score", "position", "parent"]
    to_update = {c.id: c for c in [*changed_text, *changed_meta, *reparented]}
    for comment in to_update.values():
        comment.updated_at = now
    Comment.objects.bulk_update(list(to_update.values()), [*fields, "updated_at"])

    moved = orphaned = 0
    for comment in changed_text:
        comment_moved, comment_orphaned = claims_reanchor(comment=comment)
        moved += comment_moved
        orphaned += comment_orphaned

    new_ids = {c.id for c in new}
    updated = len([c for c in to_update if c not in new_ids])
    if new or to_update:
        # Recorded in this transaction: a failed import asks for nothing.
        suggestion_jobs.refresh_threads([thread.id])
        triggers.threads_changed([thread.id])
    senses = senses_import(
        user=user,
        workspace=thread.workspace,
        source_thread=thread,
        senses=[
            StatedSense(
                term=entry.term,
                aliases=entry.aliases,
                text=entry.text,
                proposed_by=entry.author,
                label=entry.path,
            )
            for entry in parsed.glossary
        ],
    )
    return ImportResult(
        thread=thread,
        created=created,
        comments_created=len(new),
        comments_updated=updated,
        # Withdrawn comments are updated but not in the file's list of comments.
        comments_unchanged=len(parsed.comments) - len(new) - (updated - len(withdrawn)),
        claims_moved=moved,
        claims_orphaned=orphaned,
        missing_comments=parsed.missing_comments,
        deleted_comments=parsed.deleted_comments,
        hidden_comments=parsed.hidden_comments,
        glossary_skipped=parsed.glossary_skipped,
        **asdict(senses),
    )
