"""`manage.py export_thread ID --format csv|glossary|w3c|aif|argdown`: a thread's annotations
to stdout."""

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.exports.services import EXPORTERS, thread_export
from apps.forum.models import Thread


class Command(BaseCommand):
    help = "Write a thread's annotations to standard output."

    def add_arguments(self, parser):
        parser.add_argument("thread", type=int, help="The thread's id.")
        parser.add_argument("--format", choices=list(EXPORTERS), default="csv")

    def handle(self, *args, **options):
        thread = Thread.objects.filter(id=options["thread"]).first()
        if thread is None:
            raise CommandError(f"No thread with id {options['thread']}.")
        try:
            export = thread_export(thread=thread, format=options["format"])
        except ApplicationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(export.content, ending="")
