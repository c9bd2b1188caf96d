"""A thread's argument map as Argdown (https://argdown.org), which the Argdown parser reads.

Shape:

- a `//` comment header, then the thread's title as a `#` heading;
- per term read in the thread, a `//` comment block with its senses: each definition (label,
  id, text) and under it the claims that read the term in that sense, with their votes; per
  decomposition assumed by a claim, a block with its definitions and the claims assuming it;
- **each claim is a statement** `[Claim <id>]: <quote>`, followed by inline data
  `{claim, comment, author}` and, when the claim restates or clarifies others,
  `restates: [titles]` / `clarifies: [titles]` (Argdown has no relation for those). The claim's
  note, if any, is a `//` comment line above it;
- **its outgoing links are relations** indented under it: `+> [Claim <target>]` (supports)
  and `-> [Claim <target>]` (attacks).

User text never becomes markup: in statement and heading text, whitespace runs (newlines
included) become one space and every character that could open Argdown syntax is
backslash-escaped (see `argdown_text`); in comments, each line of user text is its own `//`
line; strings in data are YAML double-quoted with braces as `\\u` escapes. Comment lines and
statement text keep emoji and non-ASCII as they are.
"""

import json
from collections import defaultdict

from django.db.models import Prefetch

from apps.annotations.models import Claim, ClaimLink, Reading
from apps.conflicts.policy import consensus
from apps.forum.models import Thread
from apps.glossary.models import Definition

ARGDOWN_CONTENT_TYPE = "text/plain; charset=utf-8"

# Characters that open or close Argdown syntax wherever they stand in a line: statement and
# argument references ([..], <..>), mentions (@), tags (#), bold and italic (*, _), comments
# (//, /*, <!--), inline data ({..}) and the escape character itself. Dropping any of
# `\ [ < # * _ / { }` from it fails tests/exports/test_argdown_export.py; the closers and `@`
# are escaped too, as the syntax they belong to.
ALWAYS_ESCAPED = frozenset("\\[]<>@#*_/{}")
RELATION_ARROWS = {ClaimLink.Kind.SUPPORTS: "+>", ClaimLink.Kind.ATTACKS: "->"}
DATA_LINKS = (ClaimLink.Kind.RESTATES, ClaimLink.Kind.CLARIFIES)


def argdown_text(text: str) -> str:
    """`text` on one line, escaped so the Argdown parser reads back exactly these characters.

    Besides ALWAYS_ESCAPED: `.` or `:` followed by a non-space would start a shortcode such as
    `:smile:` or `.->.`, and `==` could begin a `===` front-matter fence."""
    flat = " ".join(text.split())
    out = []
    for i, ch in enumerate(flat):
        following = flat[i + 1 : i + 2]
        if (
            ch in ALWAYS_ESCAPED
            or (ch in ".:" and following not in ("", " "))
            or (ch == "=" and following == "=")
        ):
            out.append("\\")
        out.append(ch)
    return "".join(out)


def _comment(text: str, indent: str = "") -> list[str]:
    """User text as `//` lines: a line comment ends at the first line break, so each line of
    the text (any Unicode line break) gets its own, the later ones indented under the first."""
    first, *rest = text.splitlines() or [""]
    lines = [f"// {indent}{first}"] + [f"// {indent}  {line}" for line in rest]
    return [line.rstrip() for line in lines]


def _yaml(value: str) -> str:
    """A YAML double-quoted string the inline-data token cannot end early: no raw braces."""
    return json.dumps(value).replace("{", "\\u007b").replace("}", "\\u007d")


def _title(claim_id: int) -> str:
    return f"Claim {claim_id}"


def _votes(reading: Reading) -> str:
    verdict = consensus(reading.votes_up, reading.votes_down)
    return f"{reading.votes_up} agree, {reading.votes_down} disagree; {verdict}"


def _definition_line(definition: Definition) -> str:
    label = f"{definition.label} " if definition.label else ""
    return f"{label}(definition {definition.id}): {definition.text}"


def _senses(readings: list[Reading]) -> list[str]:
    by_term: dict[str, dict[int, list[Reading]]] = defaultdict(lambda: defaultdict(list))
    for r in readings:
        if r.kind == Reading.Kind.SENSE:
            by_term[r.definition.term.name][r.definition_id].append(r)
    lines = []
    for term in sorted(by_term, key=str.casefold):
        lines += _comment(f"Senses of the term “{term}”")
        for sense in by_term[term].values():
            lines += _comment(f"- {_definition_line(sense[0].definition)}", "  ")
            for r in sense:
                who = r.claim.comment.author or "unknown author"
                lines += _comment(f"[{_title(r.claim_id)}] ({who}): {_votes(r)}", "    ")
        lines.append("")
    return lines


def _decompositions(readings: list[Reading]) -> list[str]:
    by_decomposition: dict[int, list[Reading]] = defaultdict(list)
    for r in readings:
        if r.kind == Reading.Kind.DECOMPOSITION:
            by_decomposition[r.decomposition_id].append(r)
    lines = []
    for assumed in by_decomposition.values():
        decomposition = assumed[0].decomposition
        lines += _comment(
            f"Decomposition “{decomposition.name}” (decomposition {decomposition.id})"
        )
        if decomposition.description:
            lines += _comment(decomposition.description, "  ")
        for d in decomposition.definitions.all():
            lines += _comment(f"- {d.term.name} — {_definition_line(d)}", "  ")
        for r in assumed:
            who = r.claim.comment.author or "unknown author"
            lines += _comment(f"assumed by [{_title(r.claim_id)}] ({who}): {_votes(r)}", "  ")
        lines.append("")
    return lines


def _statement(claim: Claim, outgoing: list[ClaimLink]) -> list[str]:
    data = [f"claim: {claim.id}", f"comment: {claim.comment_id}"]
    data.append(f"author: {_yaml(claim.comment.author)}")
    for kind in DATA_LINKS:
        targets = [_yaml(_title(link.target_id)) for link in outgoing if link.kind == kind]
        if targets:
            data.append(f"{kind}: [{', '.join(targets)}]")
    lines = _comment(f"Note: {claim.note}") if claim.note else []
    lines.append(f"[{_title(claim.id)}]: {argdown_text(claim.quote)} {{{', '.join(data)}}}")
    for link in outgoing:
        if link.kind in RELATION_ARROWS:
            lines.append(f"  {RELATION_ARROWS[link.kind]} [{_title(link.target_id)}]")
    return [*lines, ""]


def thread_argdown(thread: Thread) -> str:
    """The thread's claims, links and senses as an Argdown document."""
    definitions = Definition.objects.select_related("term")
    readings = list(
        Reading.objects.filter(claim__comment__thread=thread)
        .select_related("claim__comment", "definition__term", "decomposition")
        .prefetch_related(Prefetch("decomposition__definitions", queryset=definitions))
        .order_by("claim__comment__position", "claim__start", "claim_id", "id")
    )
    claims = (
        Claim.objects.filter(comment__thread=thread)
        .select_related("comment")
        .order_by("comment__position", "start", "id")
    )
    outgoing: dict[int, list[ClaimLink]] = defaultdict(list)
    for link in ClaimLink.objects.filter(
        source__comment__thread=thread, target__comment__thread=thread
    ).order_by("id"):
        outgoing[link.source_id].append(link)

    lines = [
        f"// Sensemap: thread {thread.id} as Argdown. Each claim is a statement; +> and -> under",
        "// it are the claims it supports and attacks; its data names the claims it restates",
        "// or clarifies.",
        "",
    ]
    title = argdown_text(thread.title)
    if title:
        lines += [f"# {title}", ""]
    lines += _senses(readings) + _decompositions(readings)
    for claim in claims:
        lines += _statement(claim, outgoing[claim.id])
    return "\n".join(lines).rstrip("\n") + "\n"
