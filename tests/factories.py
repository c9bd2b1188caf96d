"""Test data built through the services, so tests see what real writes produce."""

from itertools import count
from typing import Any

from apps.annotations.models import Claim, Reading
from apps.annotations.services import claim_create, reading_create
from apps.forum.models import Comment, Thread
from apps.glossary.models import Decomposition, Definition, Term
from apps.glossary.services import decomposition_create, definition_create, term_create
from apps.workspaces.models import Membership, Workspace

_ids = count(1)


def public_workspace() -> Workspace:
    return Workspace.objects.get(slug=Workspace.DEFAULT_SLUG)


def make_workspace(visibility: str, *, members: tuple[Any, ...] = ()) -> Workspace:
    n = next(_ids)
    workspace = Workspace.objects.create(
        name=f"{visibility} {n}", slug=f"{visibility}-{n}", visibility=visibility
    )
    for user in members:
        Membership.objects.create(workspace=workspace, user=user)
    return workspace


def make_thread(
    *, workspace: Workspace | None = None, texts: tuple[str, ...] = (), user: Any = None
) -> Thread:
    """A thread whose comments reply to each other in a chain: comment i answers comment i-1."""
    n = next(_ids)
    thread = Thread.objects.create(
        workspace=workspace or public_workspace(),
        title=f"What does outer alignment mean? ({n})",
        source=Thread.Source.TEXT,
        external_id=f"test-{n}",
        created_by=user,
    )
    texts = texts or (
        "Outer alignment means the reward is right on the training distribution.",
        "No: outer alignment means the reward is right in the limit of infinite data.",
        "Then inner alignment is everything left over, which seems too broad to me.",
    )
    parent = None
    for position, text in enumerate(texts):
        parent = Comment.objects.create(
            thread=thread,
            parent=parent,
            external_id=f"c-{n}-{position}",
            author=["ada", "ben", "cy"][position % 3],
            text=text,
            position=position,
        )
    return thread


def make_claim(user: Any, comment: Comment, quote: str | None = None) -> Claim:
    """A claim on `quote` (the whole comment when None)."""
    start = comment.text.index(quote) if quote else 0
    end = start + len(quote) if quote else len(comment.text)
    return claim_create(user=user, comment=comment, start=start, end=end)


def make_term(user: Any, name: str = "outer alignment", **kwargs: Any) -> Term:
    return term_create(
        user=user,
        workspace=kwargs.pop("workspace", None) or public_workspace(),
        name=name,
        **kwargs,
    )


def make_definition(user: Any, term: Term, text: str, label: str = "") -> Definition:
    return definition_create(user=user, term=term, text=text, label=label)


def make_decomposition(user: Any, name: str, definitions: list[Definition]) -> Decomposition:
    workspace = definitions[0].term.workspace if definitions else public_workspace()
    return decomposition_create(user=user, workspace=workspace, name=name, definitions=definitions)


def make_reading(user: Any, claim: Claim, definition: Definition) -> Reading:
    return reading_create(user=user, claim=claim, term=definition.term, definition=definition)
