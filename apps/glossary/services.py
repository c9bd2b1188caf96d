"""Writes to the glossary: terms with their variants, definitions, equivalences, decompositions."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.roles import is_reviewer
from apps.annotations import jobs as suggestion_jobs
from apps.annotations.services import term_claim_counts_refresh
from apps.conflicts import triggers
from apps.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from apps.glossary.models import (
    Decomposition,
    Definition,
    DefinitionEquivalence,
    DefinitionRevision,
    Term,
    TermAlias,
)
from apps.glossary.normalize import normalize_term
from apps.workspaces.models import Workspace
from apps.workspaces.selectors import check_can_write

MAX_ALIASES = 200
MAX_KEY = Term._meta.get_field("normalized").max_length


def _key(text: str, what: str) -> str:
    # Case-folding and NFKC can lengthen text ("ß" -> "ss"), so the key is checked, not the text.
    key = normalize_term(text)
    if len(key) > MAX_KEY:
        raise ApplicationError(
            f"The {what} {text[:40]!r}… is too long: its normalised form has {len(key)} "
            f"characters, more than {MAX_KEY}.",
            code="term_too_long",
        )
    return key


def _variants(name: str, aliases: Iterable[str]) -> list[tuple[str, str]]:
    """(text, normalised key) for the name and each alias; rejects empty and repeated ones."""
    name = name.strip()
    key = _key(name, "term name")
    if not key:
        raise ApplicationError(
            "A term needs a name with at least one letter or digit.", code="invalid_term"
        )
    seen = {key: name}
    variants = [(name, key)]
    for alias in aliases:
        alias = alias.strip()
        alias_key = _key(alias, "alias")
        if not alias_key:
            raise ApplicationError(
                f"The alias {alias!r} has no letters or digits.", code="invalid_alias"
            )
        if alias_key in seen:
            raise ApplicationError(
                f"The alias {alias!r} is a variant of {seen[alias_key]!r} already given; "
                "case, hyphens, -ise/-ize spellings and plurals are matched automatically.",
                code="duplicate_alias",
            )
        seen[alias_key] = alias
        variants.append((alias, alias_key))
    if len(variants) - 1 > MAX_ALIASES:
        raise ApplicationError(
            f"A term may have at most {MAX_ALIASES} aliases; {len(variants) - 1} were given.",
            code="too_many_aliases",
        )
    return variants


def _check_variants_free(
    workspace_id: int, variants: list[tuple[str, str]], term_id: int | None = None
) -> None:
    keys = [key for _, key in variants]
    taken = (
        TermAlias.objects.filter(workspace_id=workspace_id, normalized__in=keys)
        .exclude(term_id=term_id)
        .select_related("term")
        .first()
    )
    if taken is not None:
        raise Conflict(
            f"{taken.text!r} already names the term {taken.term.name!r} (id {taken.term_id}).",
            code="alias_taken",
            detail={"term": taken.term_id},
        )


def _replace_variants(term: Term, variants: list[tuple[str, str]]) -> None:
    TermAlias.objects.filter(term=term).delete()
    TermAlias.objects.bulk_create(
        TermAlias(
            term=term,
            workspace_id=term.workspace_id,
            text=text,
            normalized=key,
            is_canonical=(index == 0),
        )
        for index, (text, key) in enumerate(variants)
    )


@transaction.atomic
def term_create(
    *,
    user: Any,
    workspace: Workspace,
    name: str,
    aliases: Sequence[str] = (),
    description: str = "",
) -> Term:
    check_can_write(user, workspace)
    variants = _variants(name, aliases)
    _check_variants_free(workspace.id, variants)
    term = Term.objects.create(
        workspace=workspace,
        name=variants[0][0],
        normalized=variants[0][1],
        description=description,
        created_by=user,
    )
    _replace_variants(term, variants)
    suggestion_jobs.refresh_workspace(term.workspace_id)
    return term


@transaction.atomic
def term_update(
    *,
    term: Term,
    name: str | None = None,
    aliases: Sequence[str] | None = None,
    description: str | None = None,
) -> Term:
    if description is not None:
        term.description = description
    if name is not None or aliases is not None:
        current_aliases = [a.text for a in term.variants.filter(is_canonical=False)]
        variants = _variants(
            term.name if name is None else name,
            current_aliases if aliases is None else aliases,
        )
        _check_variants_free(term.workspace_id, variants, term.id)
        term.name, term.normalized = variants[0]
        _replace_variants(term, variants)
        suggestion_jobs.refresh_workspace(term.workspace_id)
        # Conflicts show the term's name in their evidence.
        triggers.terms_changed([term.id])
    term.save()
    return term


@transaction.atomic
def term_delete(*, term: Term) -> None:
    # Conflicts about the term go with it; the ones that only name it (a decomposition
    # mismatch lists its first shared term) are re-detected (apps/conflicts/signals.py).
    term.delete()


def _check_source_claim(term: Term, source_claim: Any) -> None:
    if source_claim is not None and source_claim.comment.thread.workspace_id != term.workspace_id:
        raise ApplicationError(
            "The claim stating a definition must be in the term's workspace.",
            code="workspace_mismatch",
        )


@transaction.atomic
def definition_create(
    *,
    user: Any,
    term: Term,
    text: str,
    label: str = "",
    proposed_by: str = "",
    source_claim: Any = None,
) -> Definition:
    check_can_write(user, term.workspace)
    text = text.strip()
    if not text:
        raise ApplicationError("A definition needs a text.", code="invalid_definition")
    _check_source_claim(term, source_claim)
    definition = Definition.objects.create(
        term=term,
        text=text,
        label=label.strip(),
        proposed_by=proposed_by.strip(),
        source_claim=source_claim,
        created_by=user,
    )
    # A new sense can make the term ambiguous, or a synonym of another.
    triggers.terms_changed([term.id])
    return definition


# What an edit of a definition may change; each revision keeps them as they were.
DEFINITION_CONTENT = ("text", "label", "proposed_by", "source_claim")


def _stale_version(current: Definition, version: int) -> Conflict:
    if version > current.version:
        message = f"This definition has no version {version} yet: it is at version"
    else:
        message = "Someone else changed this definition since you read it: it is at version"
    return Conflict(
        f"{message} {current.version}. Reload it and edit that version.",
        code="stale_version",
        detail={"version": current.version, "text": current.text, "label": current.label},
    )


@transaction.atomic
def definition_update(
    *, definition: Definition, user: Any, version: int, **changes: Any
) -> Definition:
    """Edit a definition as it was at `version` (the version the editor read).

    The edit is one conditional UPDATE that also adds one to the version, so of several edits
    made from the same version exactly one lands; the others get a 409 with the current text.
    The replaced version is kept as a DefinitionRevision in the same transaction."""
    for field in ("label", "proposed_by"):
        if field in changes:
            changes[field] = changes[field].strip()
    if "text" in changes:
        changes["text"] = changes["text"].strip()
        if not changes["text"]:
            raise ApplicationError("A definition needs a text.", code="invalid_definition")
    if "source_claim" in changes:
        _check_source_claim(definition.term, changes["source_claim"])
    if version != definition.version:
        raise _stale_version(definition, version)
    if not changes:
        return definition
    now = timezone.now()
    landed = Definition.objects.filter(pk=definition.pk, version=version).update(
        version=F("version") + 1, updated_at=now, **changes
    )
    if not landed:
        # Edited (or deleted) since `definition` was read, and committed before this UPDATE.
        current = Definition.objects.filter(pk=definition.pk).first()
        if current is None:
            raise NotFound("This definition has been deleted.", code="not_found")
        raise _stale_version(current, version)
    # The row still had `version` when the UPDATE ran, so its content was what was read.
    DefinitionRevision.objects.create(
        definition=definition,
        version=version,
        text=definition.text,
        label=definition.label,
        proposed_by=definition.proposed_by,
        source_claim_id=definition.source_claim_id,
        edited_by=user,
        edited_at=now,
    )
    for field, value in changes.items():
        setattr(definition, field, value)
    definition.version, definition.updated_at = version + 1, now
    _detect_for_definitions([definition])
    return definition


@transaction.atomic
def definition_delete(*, definition: Definition) -> None:
    _detect_for_definitions([definition])
    definition.delete()  # and its readings
    term_claim_counts_refresh([definition.term_id])


def _detect_for_definitions(definitions: Sequence[Definition]) -> None:
    """Senses changed: every use of their terms, and every decomposition built from them."""
    triggers.terms_changed({d.term_id for d in definitions})
    triggers.decompositions_changed(
        Decomposition.objects.filter(definitions__in=definitions).values_list("id", flat=True)
    )


def _ordered_pair(a: Definition, b: Definition) -> tuple[Definition, Definition]:
    if a.id == b.id:
        raise ApplicationError(
            "A definition cannot be marked equivalent to itself.", code="same_definition"
        )
    if a.term.workspace_id != b.term.workspace_id:
        raise ApplicationError(
            "Only definitions of the same workspace can be marked equivalent.",
            code="workspace_mismatch",
        )
    return (a, b) if a.id < b.id else (b, a)


@transaction.atomic
def definitions_mark_equivalent(
    *, user: Any, definition: Definition, other: Definition, note: str = ""
) -> DefinitionEquivalence:
    """Merging senses changes what counts as a conflict, so it is a reviewer's decision."""
    if not is_reviewer(user):
        raise PermissionDenied("Marking definitions equivalent needs the reviewer role.")
    check_can_write(user, definition.term.workspace)
    first, second = _ordered_pair(definition, other)
    equivalence, created = DefinitionEquivalence.objects.get_or_create(
        first=first, second=second, defaults={"marked_by": user, "note": note}
    )
    if created:
        _detect_for_definitions([first, second])
    return equivalence


@transaction.atomic
def definitions_unmark_equivalent(*, user: Any, definition: Definition, other: Definition) -> None:
    if not is_reviewer(user):
        raise PermissionDenied("Unmarking equivalent definitions needs the reviewer role.")
    check_can_write(user, definition.term.workspace)
    first, second = _ordered_pair(definition, other)
    if DefinitionEquivalence.objects.filter(first=first, second=second).delete()[0]:
        _detect_for_definitions([first, second])


def _check_definitions(workspace: Workspace, definitions: Sequence[Definition]) -> None:
    outside = [d.id for d in definitions if d.term.workspace_id != workspace.id]
    if outside:
        raise ApplicationError(
            f"Definitions {outside} belong to another workspace.", code="workspace_mismatch"
        )


@transaction.atomic
def decomposition_create(
    *,
    user: Any,
    workspace: Workspace,
    name: str,
    description: str = "",
    definitions: Sequence[Definition] = (),
) -> Decomposition:
    check_can_write(user, workspace)
    name = name.strip()
    if not name:
        raise ApplicationError("A decomposition needs a name.", code="invalid_decomposition")
    if Decomposition.objects.filter(workspace=workspace, name=name).exists():
        raise Conflict(f"A decomposition named {name!r} already exists.", code="duplicate_name")
    _check_definitions(workspace, definitions)
    decomposition = Decomposition.objects.create(
        workspace=workspace, name=name, description=description, created_by=user
    )
    decomposition.definitions.set(definitions)
    return decomposition


@transaction.atomic
def decomposition_update(
    *,
    decomposition: Decomposition,
    name: str | None = None,
    description: str | None = None,
    definitions: Sequence[Definition] | None = None,
) -> Decomposition:
    if name is not None:
        name = name.strip()
        if not name:
            raise ApplicationError("A decomposition needs a name.", code="invalid_decomposition")
        clash = Decomposition.objects.filter(workspace_id=decomposition.workspace_id, name=name)
        if clash.exclude(id=decomposition.id).exists():
            raise Conflict(f"A decomposition named {name!r} already exists.", code="duplicate_name")
        decomposition.name = name
    if description is not None:
        decomposition.description = description
    decomposition.save()
    if definitions is not None:
        _check_definitions(decomposition.workspace, definitions)
        decomposition.definitions.set(definitions)
    if name is not None or definitions is not None:
        # Its name is in conflicts' evidence; its senses settle claims' readings of its terms.
        triggers.decompositions_changed([decomposition.id])
    return decomposition


@transaction.atomic
def decomposition_delete(*, decomposition: Decomposition) -> None:
    # Its readings go with it; the threads that read it are known only before the delete.
    threads = decomposition.readings.values_list("claim__comment__thread_id", flat=True)
    # Whole threads: its accepted readings also settled claims' senses of its terms.
    triggers.threads_changed(set(threads))
    decomposition.delete()


@dataclass(frozen=True)
class StatedSense:
    """A term and one sense of it as a source states it (an imported post's glossary entry)."""

    term: str
    aliases: Sequence[str]
    text: str
    proposed_by: str
    # Where the entry comes from, for messages ("data.post.result.glossary[2]").
    label: str


@dataclass(frozen=True)
class StatedSensesResult:
    terms_created: int = 0
    aliases_created: int = 0
    # Aliases that already name another term of the workspace, so they stay with that term.
    aliases_skipped: int = 0
    definitions_created: int = 0
    definitions_updated: int = 0


def _stated_key(text: str, what: str, label: str) -> str:
    key = normalize_term(text)
    if not key or len(text) > MAX_KEY or len(key) > MAX_KEY:
        raise ApplicationError(
            f"The {what} {text[:40]!r} at {label} cannot name a term: it needs 1 to {MAX_KEY} "
            "characters, with a letter or digit.",
            code="invalid_import",
            detail={"path": label},
        )
    return key


@transaction.atomic
def senses_import(
    *, user: Any, workspace: Workspace, source_thread: Any, senses: Sequence[StatedSense]
) -> StatedSensesResult:
    """Add the terms, aliases and definitions an imported thread states; the caller has checked
    that `user` may write in `workspace`.

    A term is found by any of its variants, so no twin is made; an alias already naming another
    term is left with it. The definition of a term from `source_thread` is updated in place when
    the thread is imported again (its earlier text is kept as a revision)."""
    if not senses:
        return StatedSensesResult()
    keys = [_stated_key(sense.term.strip(), "term", sense.label) for sense in senses]
    alias_keys = [
        [(alias, _stated_key(alias, "alias", sense.label)) for alias in sense.aliases]
        for sense in senses
    ]
    every_key = {*keys, *(key for pairs in alias_keys for _, key in pairs)}
    owner = dict(
        TermAlias.objects.filter(workspace=workspace, normalized__in=every_key).values_list(
            "normalized", "term_id"
        )
    )
    counts = {"terms_created": 0, "aliases_created": 0, "aliases_skipped": 0}

    # Every entry's own name first: an entry names its term more surely than another entry's
    # alias does ("inner misalignment" as a term of its own beats it as an alias of another).
    defined_by: dict[int, StatedSense] = {}
    term_ids: list[int] = []
    for sense, key in zip(senses, keys, strict=True):
        if key not in owner:
            term = Term.objects.create(
                workspace=workspace, name=sense.term.strip(), normalized=key, created_by=user
            )
            TermAlias.objects.create(
                term=term, workspace=workspace, text=term.name, normalized=key, is_canonical=True
            )
            owner[key] = term.id
            counts["terms_created"] += 1
        term_id = owner[key]
        if term_id in defined_by:
            raise ApplicationError(
                f"The glossary entries {sense.term!r} at {sense.label} and "
                f"{defined_by[term_id].term!r} at {defined_by[term_id].label} name the same term; "
                "keep one of them.",
                code="invalid_import",
                detail={"paths": [defined_by[term_id].label, sense.label]},
            )
        defined_by[term_id] = sense
        term_ids.append(term_id)

    new_aliases = []
    for term_id, pairs in zip(term_ids, alias_keys, strict=True):
        for alias, key in pairs:
            if key not in owner:
                owner[key] = term_id
                new_aliases.append(
                    TermAlias(term_id=term_id, workspace=workspace, text=alias, normalized=key)
                )
            elif owner[key] != term_id:
                counts["aliases_skipped"] += 1
    TermAlias.objects.bulk_create(new_aliases)
    counts["aliases_created"] = len(new_aliases)
    if counts["terms_created"] or new_aliases:
        suggestion_jobs.refresh_workspace(workspace.id)

    existing = {
        d.term_id: d
        for d in Definition.objects.filter(source_thread=source_thread, term_id__in=term_ids)
    }
    created: list[int] = []
    updated = 0
    for term_id, sense in zip(term_ids, senses, strict=True):
        text, proposed_by = sense.text.strip(), sense.proposed_by.strip()
        definition = existing.get(term_id)
        if not text:
            continue  # an entry that explains nothing adds the term only
        if definition is None:
            Definition.objects.create(
                term_id=term_id,
                text=text,
                proposed_by=proposed_by,
                source_thread=source_thread,
                created_by=user,
            )
            created.append(term_id)
        elif (definition.text, definition.proposed_by) != (text, proposed_by):
            definition_update(
                definition=definition,
                user=user,
                version=definition.version,
                text=text,
                proposed_by=proposed_by,
            )
            updated += 1
    if created:
        # A new sense can make the term ambiguous, or a synonym of another.
        triggers.terms_changed(created)
    return StatedSensesResult(
        **counts, definitions_created=len(created), definitions_updated=updated
    )
