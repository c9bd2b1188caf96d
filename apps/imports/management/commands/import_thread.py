"""`manage.py import_thread PATH [--format F]`: import a thread file from the command line."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.imports.importers import FORMATS
from apps.imports.services import thread_import
from apps.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Import a forum thread (pasted text or JSON); re-importing updates it in place."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import ('-' reads standard input).")
        parser.add_argument(
            "--format", choices=list(FORMATS), help="Detected from the content when left out."
        )
        parser.add_argument("--workspace", default=Workspace.DEFAULT_SLUG, help="Workspace slug.")
        parser.add_argument("--title", default="", help="Title for pasted text.")

    def handle(self, *args, **options):
        path = options["path"]
        try:
            workspace = Workspace.objects.get(slug=options["workspace"])
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with slug {options['workspace']!r}.") from None
        try:
            content = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            result = thread_import(
                user=None,
                content=content,
                format=options["format"],
                workspace=workspace,
                title=options["title"],
            )
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from None
        verb = "Imported" if result.created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} thread {result.thread.id}: {result.thread.title}")
            + f"\n  comments: {result.comments_created} new, {result.comments_updated} updated,"
            f" {result.comments_unchanged} unchanged"
            + (
                f"\n  claims: {result.claims_moved} re-anchored, {result.claims_orphaned} orphaned"
                if result.claims_moved or result.claims_orphaned
                else ""
            )
            + (
                f"\n  {result.missing_comments} comments are not in the file (unexpanded"
                " “load more” links): export them expanded to import them too"
                if result.missing_comments
                else ""
            )
        )
