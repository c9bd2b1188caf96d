"""`manage.py load_demo`: demo threads, users and annotations; running it again changes nothing."""

from collections import Counter
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.roles import REVIEWERS_GROUP
from apps.annotations.models import Claim, ClaimLink, Reading, Vote
from apps.annotations.services import claim_create, claim_link_create, reading_create, reading_vote
from apps.core.errors import ApplicationError
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term
from apps.glossary.normalize import normalize_term
from apps.glossary.services import (
    decomposition_create,
    definition_create,
    definitions_mark_equivalent,
    term_create,
)
from apps.imports.demo import annotations as plan
from apps.imports.services import thread_import
from apps.workspaces.models import Workspace
from apps.workspaces.selectors import default_workspace

DEMO_DIR = Path(plan.__file__).resolve().parent
# Thread files by suffix, with the import format to use (None: detected from the JSON's shape).
THREAD_FORMATS = {".json": None, ".txt": "text"}
SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Load the demo threads, users and annotations (idempotent: safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # All or nothing: a half-loaded demo would show conflicts that are not meant.
            with transaction.atomic():
                loader = DemoLoader(workspace=default_workspace(), stdout=self.stdout)
                loader.load()
        except ApplicationError as error:
            raise CommandError(f"The demo could not be loaded: {error.message}") from None
        loader.report(self.style)


class DemoLoader:
    """Applies the plan in apps/imports/demo/annotations.py through the services; every step
    looks for what an earlier run made before creating anything."""

    def __init__(self, *, workspace: Workspace, stdout: Any) -> None:
        self.workspace = workspace
        self.stdout = stdout
        self.created: Counter[str] = Counter()
        self.threads: dict[str, Thread] = {}
        self.users: dict[str, Any] = {}
        self.own_passwords: list[str] = []
        self.terms: dict[str, Term] = {}
        self.claims: dict[str, Claim] = {}
        self.definitions: dict[str, Definition] = {}
        self.decompositions: dict[str, Decomposition] = {}

    def load(self) -> None:
        self.import_threads()
        self.ensure_users()
        self.ensure_terms()
        self.ensure_claims()
        self.ensure_definitions()
        self.ensure_equivalences()
        self.ensure_decompositions()
        self.ensure_links()
        self.ensure_readings()

    # Threads and users

    def import_threads(self) -> None:
        paths = sorted(p for p in DEMO_DIR.iterdir() if p.suffix in THREAD_FORMATS)
        for path in paths:
            try:
                result = thread_import(
                    user=None,
                    content=path.read_bytes(),
                    format=THREAD_FORMATS[path.suffix],
                    workspace=self.workspace,
                )
            except ApplicationError as error:
                raise CommandError(f"{path.name}: {error.message}") from None
            self.threads[path.stem] = result.thread
            self.created["threads"] += result.created
            self.created["comments"] += result.comments_created

    def ensure_users(self) -> None:
        reviewers = Group.objects.get(name=REVIEWERS_GROUP)
        user_model = get_user_model()
        for spec in plan.USERS:
            user, created = user_model.objects.get_or_create(username=spec.username)
            changed = created
            if created:
                user.set_password(plan.PASSWORD)
                self.created["users"] += 1
            elif not user.check_password(plan.PASSWORD):
                # Someone changed it; the demo must not reset a real password.
                self.own_passwords.append(spec.username)
            if spec.superuser and not (user.is_staff and user.is_superuser):
                user.is_staff = user.is_superuser = changed = True
            if changed:
                user.save()
            if spec.reviewer:
                user.groups.add(reviewers)
            self.users[spec.username] = user

    # The glossary and the claims it is read in

    def ensure_terms(self) -> None:
        for spec in plan.TERMS:
            term = Term.objects.filter(
                workspace=self.workspace, normalized=normalize_term(spec.name)
            ).first()
            if term is None:
                term = term_create(
                    user=self.users["demo"],
                    workspace=self.workspace,
                    name=spec.name,
                    aliases=spec.aliases,
                    description=spec.description,
                )
                self.created["terms"] += 1
            self.terms[spec.name] = term

    def ensure_claims(self) -> None:
        for key, spec in plan.CLAIMS.items():
            comment, start = self._locate(key, spec.thread, spec.quote)
            end = start + len(spec.quote)
            claim = Claim.objects.filter(comment=comment, start=start, end=end).first()
            if claim is None:
                claim = claim_create(
                    user=self.users[spec.by], comment=comment, start=start, end=end
                )
                self.created["claims"] += 1
            self.claims[key] = claim

    def _locate(self, key: str, thread: str, quote: str) -> tuple[Comment, int]:
        """The one comment of the thread that quotes `quote` once, and where the quote starts."""
        if thread not in self.threads:
            raise CommandError(f"Claim {key!r} names the thread {thread!r}, which has no file.")
        found = [
            (comment, comment.text.index(quote))
            for comment in Comment.objects.filter(thread=self.threads[thread])
            if quote in comment.text
        ]
        if len(found) != 1 or found[0][0].text.count(quote) != 1:
            raise CommandError(
                f"Claim {key!r}: the quote must occur once in one comment of {thread!r}; "
                f"{len(found)} comments contain it."
            )
        return found[0]

    def ensure_definitions(self) -> None:
        for key, spec in plan.DEFINITIONS.items():
            term = self.terms[spec.term]
            definition = Definition.objects.filter(term=term, text=spec.text).first()
            if definition is None:
                definition = definition_create(
                    user=self.users[spec.by],
                    term=term,
                    text=spec.text,
                    label=spec.label,
                    proposed_by=spec.proposed_by,
                    source_claim=self.claims[spec.stated_in] if spec.stated_in else None,
                )
                self.created["definitions"] += 1
            self.definitions[key] = definition

    def ensure_equivalences(self) -> None:
        for spec in plan.EQUIVALENCES:
            definition, other = self.definitions[spec.definition], self.definitions[spec.other]
            # Stored smaller id first, whichever order the plan names them in.
            first, second = sorted([definition.id, other.id])
            if DefinitionEquivalence.objects.filter(first_id=first, second_id=second).exists():
                continue
            definitions_mark_equivalent(
                user=self.users[spec.by], definition=definition, other=other, note=spec.note
            )
            self.created["equivalences"] += 1

    def ensure_decompositions(self) -> None:
        for spec in plan.DECOMPOSITIONS:
            decomposition = Decomposition.objects.filter(
                workspace=self.workspace, name=spec.name
            ).first()
            if decomposition is None:
                decomposition = decomposition_create(
                    user=self.users[spec.by],
                    workspace=self.workspace,
                    name=spec.name,
                    description=spec.description,
                    definitions=[self.definitions[key] for key in spec.definitions],
                )
                self.created["decompositions"] += 1
            self.decompositions[spec.name] = decomposition

    # The argument map, readings and votes

    def ensure_links(self) -> None:
        for spec in plan.LINKS:
            source, target = self.claims[spec.source], self.claims[spec.target]
            if ClaimLink.objects.filter(source=source, target=target, kind=spec.kind).exists():
                continue
            claim_link_create(
                user=self.users[spec.by], source=source, target=target, kind=spec.kind
            )
            self.created["links"] += 1

    def ensure_readings(self) -> None:
        for spec in plan.READINGS:
            claim = self.claims[spec.claim]
            if spec.decomposition is not None:
                target = {"decomposition": self.decompositions[spec.decomposition]}
            else:
                definition = self.definitions[spec.definition]
                target = {"term": definition.term, "definition": definition}
            reading = Reading.objects.filter(claim=claim, **target).first()
            if reading is None:
                reading = reading_create(user=self.users[spec.by], claim=claim, **target)
                self.created["readings"] += 1
                self.created["votes"] += 1
            for username, value in spec.votes.items():
                user = self.users[username]
                if Vote.objects.filter(reading=reading, user=user, value=value).exists():
                    continue
                reading_vote(reading=reading, user=user, value=value)
                self.created["votes"] += 1

    # Output

    def report(self, style: Any) -> None:
        write = self.stdout.write
        threads = list(self.threads.values())
        claims = Claim.objects.filter(comment__thread__in=threads)
        readings = Reading.objects.filter(claim__in=claims)
        terms = Term.objects.filter(id__in=[term.id for term in self.terms.values()])
        counts = {
            "threads": len(threads),
            "comments": Comment.objects.filter(thread__in=threads).count(),
            "terms": terms.count(),
            "definitions": Definition.objects.filter(term__in=terms).count(),
            "decompositions": len(self.decompositions),
            "claims": claims.count(),
            "links": ClaimLink.objects.filter(source__in=claims).count(),
            "readings": readings.count(),
            "votes": Vote.objects.filter(reading__in=readings).count(),
        }
        write(f"Demo threads in the workspace “{self.workspace.name}”:")
        for thread in threads:
            write(f"  {thread.id}: {thread.title} ({thread.comments.count()} comments)")
        write("Demo data: " + ", ".join(f"{name} {n}" for name, n in counts.items()) + ".")
        created = [f"{name} {n}" for name, n in self.created.items() if n]
        write(
            "Created this run: " + ", ".join(created) + "."
            if created
            else "Nothing new: the demo data was already loaded."
        )
        if self.own_passwords:
            write(
                style.WARNING(
                    f"These users already existed and keep their own passwords: "
                    f"{', '.join(self.own_passwords)}."
                )
            )
        write(
            style.SUCCESS(
                f"Demo login: demo / {plan.PASSWORD} (also alice, bob, rita; admin for /admin/)"
            )
        )
        write(f"Open {SITE_URL}")
