"""Exporting a thread's annotations: a CSV of readings and a Markdown glossary."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from apps.annotations.models import Reading
from apps.conflicts.models import Conflict
from apps.conflicts.policy import consensus
from apps.core.errors import ApplicationError
from apps.exports.aif import AIF_CONTENT_TYPE, thread_xaif_json
from apps.exports.argdown import ARGDOWN_CONTENT_TYPE, thread_argdown
from apps.exports.w3c import W3C_CONTENT_TYPE, thread_annotations_jsonld
from apps.forum.models import Thread

CSV_COLUMNS = [
    "reading",
    "kind",
    "claim",
    "comment",
    "author",
    "quote",
    "term",
    "definition",
    "definition_label",
    "definition_text",
    "decomposition",
    "votes_up",
    "votes_down",
    "consensus",
    "marked_by",
    "conflicts",
]


@dataclass(frozen=True)
class Export:
    content: str
    content_type: str
    filename: str


def _readings(thread: Thread):
    return (
        Reading.objects.filter(claim__comment__thread=thread)
        .select_related("claim__comment", "term", "definition", "decomposition", "created_by")
        .order_by("claim__comment__position", "claim__start", "id")
    )


def _reading_ids(evidence: Any) -> Iterator[int]:
    """Every reading a conflict's evidence cites, wherever its rule put it."""
    if isinstance(evidence, dict):
        for key, value in evidence.items():
            if key == "reading" and isinstance(value, int):
                yield value
            else:
                yield from _reading_ids(value)
    elif isinstance(evidence, list):
        for item in evidence:
            yield from _reading_ids(item)


def _conflicts_by_reading(thread: Thread) -> dict[int, list[int]]:
    cited: dict[int, list[int]] = defaultdict(list)
    for conflict_id, evidence in Conflict.objects.filter(thread=thread).values_list(
        "id", "evidence"
    ):
        for reading_id in sorted(set(_reading_ids(evidence))):
            cited[reading_id].append(conflict_id)
    return cited


def readings_csv(thread: Thread) -> str:
    """One row per reading: the claim, who wrote and who marked it, the sense, the votes."""
    cited = _conflicts_by_reading(thread)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in _readings(thread):
        claim = r.claim
        row = [
            r.id,
            r.kind,
            claim.id,
            claim.comment_id,
            claim.comment.author,
            claim.quote,
            r.term.name if r.term else "",
            r.definition_id or "",
            r.definition.label if r.definition else "",
            r.definition.text if r.definition else "",
            r.decomposition.name if r.decomposition else "",
            r.votes_up,
            r.votes_down,
            consensus(r.votes_up, r.votes_down),
            r.created_by.username if r.created_by else "",
            " ".join(str(c) for c in cited.get(r.id, [])),
        ]
        # Every text cell: names and labels are user text as much as quotes are.
        writer.writerow([_cell(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def _cell(text: str) -> str:
    # Spreadsheets run cells that start with these as formulas; a quote is text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def glossary_markdown(thread: Thread) -> str:
    """Each term read in the thread, its senses, and who uses which sense in which claim."""
    senses: dict[str, dict[int, list[Reading]]] = defaultdict(lambda: defaultdict(list))
    definitions = {}
    for r in _readings(thread).filter(kind=Reading.Kind.SENSE):
        senses[r.term.name][r.definition_id].append(r)
        definitions[r.definition_id] = r.definition
    lines = [f"# Glossary: {_md(thread.title)}", ""]
    if not senses:
        lines.append("No term has been read in this thread yet.")
    for term in sorted(senses, key=str.casefold):
        lines += [f"## {_md(term)}", ""]
        for definition_id, readings in senses[term].items():
            definition = definitions[definition_id]
            label = f"**{_md(definition.label)}**: " if definition.label else ""
            lines.append(f"- {label}{_md(definition.text)}")
            for r in readings:
                lines.append(
                    f"  - {_md(r.claim.comment.author or 'unknown author')}: "
                    f"“{_md(r.claim.quote)}” ({r.votes_up} agree, {r.votes_down} disagree; "
                    f"{consensus(r.votes_up, r.votes_down)})"
                )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# Inside a list item these are what could turn text into emphasis, code, links or HTML, and
# "&", which starts an entity a renderer would decode ("&#106;avascript:" shows as "javascript:").
MARKDOWN_SPECIAL = frozenset("\\`*_[]<>&")


def _md(text: str) -> str:
    """Text as Markdown shows it literally: no markup, links or HTML from user text."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in flat)


# format -> (builder, content type, file name after "thread-<id>-")
EXPORTERS = {
    "csv": (readings_csv, "text/csv; charset=utf-8", "readings.csv"),
    "glossary": (glossary_markdown, "text/markdown; charset=utf-8", "glossary.md"),
    "w3c": (thread_annotations_jsonld, W3C_CONTENT_TYPE, "annotations.jsonld"),
    "aif": (thread_xaif_json, AIF_CONTENT_TYPE, "xaif.json"),
    "argdown": (thread_argdown, ARGDOWN_CONTENT_TYPE, "map.argdown"),
}


def thread_export(*, thread: Thread, format: str) -> Export:
    if format not in EXPORTERS:
        raise ApplicationError(
            f"Unknown export format {format!r}; use one of {', '.join(EXPORTERS)}.",
            code="invalid_format",
        )
    build, content_type, name = EXPORTERS[format]
    return Export(build(thread), content_type, f"thread-{thread.id}-{name}")
