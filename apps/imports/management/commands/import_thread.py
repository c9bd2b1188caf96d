"""`manage.py import_thread PATH [PATH …] [--format F]`: import a thread from the command line;
several paths are the pages of one Discourse topic."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.forum.models import Thread
from apps.imports.importers import FORMATS, ImportFile
from apps.imports.services import thread_import
from apps.imports.w3c import AnnotationImportResult
from apps.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Import a forum thread (pasted text or JSON), or W3C Web Annotations on one (w3c: "
        "JSON-LD or a Hypothesis export); importing again updates in place, duplicating nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="path",
            help="The file to import ('-' reads standard input); several files are read as the "
            "pages of one Discourse topic.",
        )
        parser.add_argument(
            "--format", choices=list(FORMATS), help="Detected from the content when left out."
        )
        parser.add_argument(
            "--workspace",
            default=Workspace.DEFAULT_SLUG,
            help="Workspace slug (w3c annotations go to their thread's workspace).",
        )
        parser.add_argument("--title", default="", help="Title for pasted text.")
        parser.add_argument(
            "--thread",
            type=int,
            metavar="ID",
            help="The thread to import into: a thread file re-imports into it instead of finding "
            "it by forum id; w3c annotations go on it instead of on the thread their targets "
            "name (a comment's or the thread's URL), e.g. a copy of that thread.",
        )

    def handle(self, *args, **options):
        paths = options["paths"]
        if "-" in paths and len(paths) > 1:
            raise CommandError("Standard input ('-') can only be imported on its own.")
        try:
            workspace = Workspace.objects.get(slug=options["workspace"])
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with slug {options['workspace']!r}.") from None
        thread = None
        if options["thread"] is not None:
            thread = Thread.objects.filter(pk=options["thread"]).first()
            if thread is None:
                raise CommandError(f"No thread with id {options['thread']}.")
        files = []
        for path in paths:
            try:
                content = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
            files.append(ImportFile(path, content))
        # One file's messages are prefixed with its path here; several files' name the file.
        where = f"{paths[0]}: " if len(paths) == 1 else ""
        try:
            result = thread_import(
                user=None,
                files=files,
                format=options["format"],
                workspace=workspace,
                title=options["title"],
                thread=thread,
            )
        except ApplicationError as error:
            raise CommandError(f"{where}{error.message}") from None
        if isinstance(result, AnnotationImportResult):
            self.stdout.write(_annotations_summary(result, self.style))
            return
        verb = "Imported" if result.created else "Updated"
        lines = [
            self.style.SUCCESS(f"{verb} thread {result.thread.id}: {result.thread.title}"),
            f"  comments: {result.comments_created} new, {result.comments_updated} updated,"
            f" {result.comments_unchanged} unchanged",
        ]
        if result.claims_moved or result.claims_orphaned:
            lines.append(
                f"  claims: {result.claims_moved} re-anchored, {result.claims_orphaned} orphaned"
            )
        if result.missing_comments:
            lines.append(
                f"  {result.missing_comments} comments are not in the file (unexpanded “load"
                " more” links, pages or parents not saved): save them too to import them"
            )
        if result.deleted_comments or result.hidden_comments:
            lines.append(
                f"  {result.deleted_comments} deleted and {result.hidden_comments} hidden"
                " comments: their text is not imported"
            )
        glossary = (
            result.terms_created,
            result.aliases_created,
            result.aliases_skipped,
            result.definitions_created,
            result.definitions_updated,
            result.glossary_skipped,
        )
        if any(glossary):
            lines.append(
                f"  glossary: {result.terms_created} new terms, {result.aliases_created} new"
                f" aliases ({result.aliases_skipped} naming other terms left out),"
                f" {result.definitions_created} new and {result.definitions_updated} updated"
                f" definitions, {result.glossary_skipped} unapproved entries skipped"
            )
        self.stdout.write("\n".join(lines))


def _annotations_summary(result: AnnotationImportResult, style) -> str:
    lines = [
        style.SUCCESS(
            f"Imported {result.annotations} annotations onto thread {result.thread.id}: "
            f"{result.thread.title}"
        ),
        f"  claims: {result.claims_created} new, {result.claims_updated} updated,"
        f" {result.claims_unchanged} unchanged",
        f"  {result.terms_created} new terms, {result.definitions_created} new definitions,"
        f" {result.readings_created} new readings, {result.links_created} new links",
    ]
    for kind, notes in (("orphan", result.orphans), ("left out", result.ignored)):
        lines += [f"  {kind}: {note['annotation']}: {note['reason']}" for note in notes]
    return "\n".join(lines)
