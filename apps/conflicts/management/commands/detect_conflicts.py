"""`manage.py detect_conflicts [--thread ID]`: the full rescan, from the command line."""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.conflicts import detection
from apps.forum.models import Thread


class Command(BaseCommand):
    help = "Recompute every conflict (or one thread's) from the current annotations."

    def add_arguments(self, parser):
        parser.add_argument("--thread", type=int, help="Only this thread's conflicts.")

    def handle(self, *args, **options):
        thread_id = options["thread"]
        if thread_id is not None and not Thread.objects.filter(id=thread_id).exists():
            raise CommandError(f"No thread with id {thread_id}.")
        started = time.monotonic()
        result = detection.rescan(thread_id)
        self.stdout.write(
            f"Conflicts: {result.created} new, {result.updated} updated, "
            f"{result.reopened} reopened, {result.obsoleted} obsolete "
            f"({time.monotonic() - started:.1f} s)"
        )
