"""Importing a thread: parse, then upsert the thread and its comments in one transaction."""

from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.roles import can_change
from apps.annotations import jobs as suggestion_jobs
from apps.annotations.services import claims_reanchor
from apps.conflicts import triggers
from apps.core.errors import ApplicationError, PayloadTooLarge, PermissionDenied
from apps.core.outbox import request_jobs
from apps.forum.models import Comment, Thread
from apps.imports.importers import decode_text, parse_thread
from apps.imports.importers.base import MAX_ID, MAX_URL, ImportFormatError, ParsedThread
from apps.imports.models import ImportJob
from apps.workspaces.models import Workspace
from apps.workspaces.selectors import check_can_write, default_workspace


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
        title=_shorten(parsed.title, 500) or "Untitled thread",
        source_url=_fits(parsed.source_url, MAX_URL, "thread URL"),
        comments=[
            replace(
                comment,
                external_id=_fits(comment.external_id, MAX_ID, "comment id"),
                author=_shorten(comment.author, 200),
                context=_shorten(comment.context, 500),
                url=_fits(comment.url, MAX_URL, "comment URL"),
            )
            for comment in parsed.comments
        ],
    )


def thread_import(
    *,
    user: Any,
    content: str | bytes,
    format: str | None = None,
    workspace: Workspace | None = None,
    title: str = "",
    thread: Thread | None = None,
) -> ImportResult:
    """Import `content`; importing the same thread again updates it in place.

    The thread is found by its source and external id (or given as `thread`); comments by
    their external id. Claims on comments whose text changed are re-anchored by their quote.
    Either everything is written or, on any error, nothing. `user` None is the operator at the
    command line, who may write anywhere."""
    check_import_size(_size(content))
    parsed = _parse(content, format, title)
    workspace = _check_allowed(user, workspace, thread)
    with transaction.atomic():
        return _upsert(user=user, parsed=parsed, workspace=workspace, thread=thread)


def _parse(content: str | bytes, format: str | None, title: str) -> ParsedThread:
    return fit_to_columns(parse_thread(content, format, title=title))


def _size(content: str | bytes) -> int:
    return len(content.encode("utf-8") if isinstance(content, str) else content)


def _check_allowed(user: Any, workspace: Workspace | None, thread: Thread | None) -> Workspace:
    """The workspace the import goes to, once the user may import there."""
    workspace = thread.workspace if thread is not None else (workspace or default_workspace())
    if user is not None:
        check_can_write(user, workspace)
        if thread is not None and not can_change(user, thread.created_by_id):
            raise PermissionDenied(
                "Only the user who imported this thread, or an admin, may re-import into it."
            )
    return workspace


IMPORT_TASK = "apps.imports.tasks.run_import_job_task"


def import_job_create(
    *,
    user: Any,
    content: str | bytes,
    format: str | None = None,
    workspace: Workspace | None = None,
    title: str = "",
    thread: Thread | None = None,
) -> ImportJob:
    """Queue an import for a worker; the job's stage and counts show its progress."""
    check_import_size(_size(content))
    workspace = _check_allowed(user, workspace, thread)
    if isinstance(content, bytes):
        # Decoded here so a file that is not text is refused now, not in the worker.
        content = decode_text(content)
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
        parsed = _parse(job.content, job.format or None, job.title)
        _progress(job, stage=ImportJob.Stage.SAVING, comments_total=len(parsed.comments))
        with transaction.atomic():
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
            defaults={"title": parsed.title, "source_url": parsed.source_url, "created_by": user},
        )
    # Serialises concurrent re-imports of one thread instead of letting them race per comment.
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.title = parsed.title or thread.title
    thread.source_url = parsed.source_url or thread.source_url
    thread.imported_at = now
    thread.save()

    existing = {c.external_id: c for c in Comment.objects.filter(thread=thread)}
    new, changed_text, changed_meta = [], [], []
    for position, item in enumerate(parsed.comments):
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
    Comment.objects.bulk_create(new)

    # Parents are resolved after every comment has an id; importers put parents first.
    reparented = []
    for item in parsed.comments:
        comment = existing[item.external_id]
        parent = existing[item.parent_external_id] if item.parent_external_id else None
        parent_id = parent.id if parent else None
        if comment.parent_id != parent_id:
            comment.parent_id = parent_id
            reparented.append(comment)
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
    return ImportResult(
        thread=thread,
        created=created,
        comments_created=len(new),
        comments_updated=updated,
        comments_unchanged=len(parsed.comments) - len(new) - updated,
        claims_moved=moved,
        claims_orphaned=orphaned,
        missing_comments=parsed.missing_comments,
    )
