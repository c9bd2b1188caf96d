"""A thread's argument map as xAIF: AIF JSON (the AIFdb / OVA shape) in an xAIF envelope.

Shape (AIF: the Argument Interchange Format of ARG-tech's AIFdb and OVA; AIF+ for dialogue):

    {"AIF": {"nodes": [{"nodeID", "text", "type", "timestamp"}],
             "edges": [{"edgeID", "fromID", "toID"}],
             "locutions": [{"nodeID", "personID", "timestamp", "source"}],
             "participants": [{"participantID", "firstname", "surname"}],
             "schemefulfillments": [], "descriptorfulfillments": []},
     "text": {"txt": "<the thread as OVA's text pane shows it>"},
     "dialog": true,
     "sensemap": {...}}

Ids are integers from 1 (OVA reads participant 0 as "nobody"); timestamps are UTC
`YYYY-MM-DD HH:MM:SS` as in AIFdb, empty when unknown.

- **Every comment is an L-node** (a locution), its text the comment's text exactly; its
  `locutions` entry names the author as a participant (`firstname` is the forum handle, exactly as
  imported, `surname` is empty: a handle is not a first and last name) and its `source` is the
  comment's forum URL. A reply is a **TA-node** ("Default Transition") from the parent's L-node
  to the reply's, so the reply tree is part of the dialogue.
- **Every claim is an I-node**, its text the quote, plus `text_begin` / `text_end`: the claim's
  character offsets in its comment (its L-node's text), so `L.text[text_begin:text_end]` is the
  quote while the claim is anchored. A **YA-node** ("Asserting") joins the comment's L-node to
  the I-node: L → YA → I.
- **Every claim link is an S-node** between the two I-nodes, source → S → target:
  `supports` is RA ("Default Inference": the source is a premise of the target), `attacks` is
  CA ("Default Conflict"), `restates` is MA ("Default Rephrase") and `clarifies` is MA
  ("Clarifying Rephrase"), so an AIF reader without the extension still sees every link's kind.
- **`sensemap`** holds what AIF has no place for, in lists keyed by `nodeID` like AIF's own
  `locutions`: `locutions` (comment id, external id, author, parent comment, posted time, URL),
  `claims` (claim id, comment id, offsets, quote context, anchor state, note, annotator, and its
  `readings`: each sense reading's term and definition — id, label, text, who proposed it — or
  decomposition reading's decomposition with its definitions, plus votes, consensus, origin,
  confidence and annotator) and `links` (link id, kind, annotator). With `thread` and `version`
  it is enough to rebuild the thread's claims, links and readings from this file alone
  (tests/exports/test_aif_export.py does).
"""

import html
import json
from datetime import UTC, datetime
from itertools import count
from typing import Any

from django.db.models import Prefetch

from apps.annotations.models import Claim, ClaimLink, Reading
from apps.conflicts.policy import consensus
from apps.forum.models import Comment, Thread
from apps.glossary.models import Definition

AIF_CONTENT_TYPE = "application/json; charset=utf-8"
SENSEMAP_VERSION = 1

# A claim link's kind -> the AIF scheme node (type, text) that carries it.
LINK_SCHEMES = {
    ClaimLink.Kind.SUPPORTS: ("RA", "Default Inference"),
    ClaimLink.Kind.ATTACKS: ("CA", "Default Conflict"),
    ClaimLink.Kind.RESTATES: ("MA", "Default Rephrase"),
    ClaimLink.Kind.CLARIFIES: ("MA", "Clarifying Rephrase"),
}
ASSERTING = "Asserting"
TRANSITION = "Default Transition"


def _timestamp(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _username(user: Any) -> str | None:
    return user.username if user else None


class _Graph:
    """Nodes and edges with ids handed out in order, so an export is stable."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self._node_ids = count(1)
        self._edge_ids = count(1)

    def node(self, type_: str, text: str, when: datetime | None, **extra: Any) -> int:
        node_id = next(self._node_ids)
        node = {"nodeID": node_id, "text": text, "type": type_, "timestamp": _timestamp(when)}
        self.nodes.append({**node, **extra})
        return node_id

    def edge(self, from_id: int, to_id: int) -> None:
        self.edges.append({"edgeID": next(self._edge_ids), "fromID": from_id, "toID": to_id})


def _definition(definition: Definition) -> dict[str, Any]:
    return {
        "id": definition.id,
        "term": {"id": definition.term_id, "name": definition.term.name},
        "label": definition.label,
        "text": definition.text,
        "proposed_by": definition.proposed_by,
    }


def _reading(reading: Reading) -> dict[str, Any]:
    entry: dict[str, Any] = {"reading": reading.id, "kind": reading.kind}
    if reading.kind == Reading.Kind.SENSE:
        entry["definition"] = _definition(reading.definition)
    else:
        decomposition = reading.decomposition
        entry["decomposition"] = {
            "id": decomposition.id,
            "name": decomposition.name,
            "description": decomposition.description,
            "definitions": [_definition(d) for d in decomposition.definitions.all()],
        }
    return {
        **entry,
        "votes_up": reading.votes_up,
        "votes_down": reading.votes_down,
        "consensus": consensus(reading.votes_up, reading.votes_down),
        "origin": reading.origin,
        "confidence": reading.confidence,
        "annotator": _username(reading.created_by),
    }


def _thread_text(comments: list[Comment], l_nodes: dict[int, int]) -> str:
    """The thread as OVA's text pane takes it: HTML whose highlighted spans are the L-nodes.
    Every piece of user text is escaped, so the file carries no markup from a forum."""
    parts = []
    for c in comments:
        text = html.escape(c.text).replace("\n", "<br>")
        span = f'<span class="highlighted" id="{l_nodes[c.id]}">{text}</span>'
        parts.append(f"{html.escape(c.author)} {span}<br><br>")
    return "".join(parts)


def thread_xaif(thread: Thread) -> dict[str, Any]:
    """The thread's dialogue, claims, links and readings as one xAIF document."""
    comments = list(Comment.objects.filter(thread=thread).order_by("position", "id"))
    definitions = Definition.objects.select_related("term")
    readings = Reading.objects.select_related(
        "definition__term", "decomposition", "created_by"
    ).prefetch_related(Prefetch("decomposition__definitions", queryset=definitions))
    claims = (
        Claim.objects.filter(comment__thread=thread)
        .select_related("created_by")
        .prefetch_related(Prefetch("readings", queryset=readings.order_by("id")))
        .order_by("comment__position", "start", "id")
    )
    links = (
        ClaimLink.objects.filter(source__comment__thread=thread, target__comment__thread=thread)
        .select_related("created_by")
        .order_by("id")
    )

    graph = _Graph()
    participants: dict[str, int] = {}
    locutions, comment_entries = [], []
    l_nodes: dict[int, int] = {}  # comment id -> L-node
    for c in comments:
        l_node = l_nodes[c.id] = graph.node("L", c.text, c.posted_at)
        person = participants.setdefault(c.author, len(participants) + 1)
        locutions.append(
            {
                "nodeID": l_node,
                "personID": person,
                "timestamp": _timestamp(c.posted_at),
                "source": c.url,
            }
        )
        comment_entries.append(
            {
                "nodeID": l_node,
                "comment": c.id,
                "external_id": c.external_id,
                "author": c.author,
                "parent_comment": c.parent_id,
                "posted_at": _iso(c.posted_at),
                "url": c.url,
            }
        )
    for c in comments:
        if c.parent_id in l_nodes:
            transition = graph.node("TA", TRANSITION, c.posted_at)
            graph.edge(l_nodes[c.parent_id], transition)
            graph.edge(transition, l_nodes[c.id])

    claim_entries = []
    i_nodes: dict[int, int] = {}  # claim id -> I-node
    for claim in claims:
        i_node = i_nodes[claim.id] = graph.node(
            "I", claim.quote, claim.created_at, text_begin=claim.start, text_end=claim.end
        )
        assertion = graph.node("YA", ASSERTING, claim.created_at)
        graph.edge(l_nodes[claim.comment_id], assertion)
        graph.edge(assertion, i_node)
        claim_entries.append(
            {
                "nodeID": i_node,
                "claim": claim.id,
                "comment": claim.comment_id,
                "text_begin": claim.start,
                "text_end": claim.end,
                "prefix": claim.prefix,
                "suffix": claim.suffix,
                "anchor": claim.anchor,
                "note": claim.note,
                "annotator": _username(claim.created_by),
                "created": _iso(claim.created_at),
                "readings": [_reading(r) for r in claim.readings.all()],
            }
        )

    link_entries = []
    for link in links:
        type_, text = LINK_SCHEMES[link.kind]
        scheme = graph.node(type_, text, link.created_at)
        graph.edge(i_nodes[link.source_id], scheme)
        graph.edge(scheme, i_nodes[link.target_id])
        link_entries.append(
            {
                "nodeID": scheme,
                "link": link.id,
                "kind": link.kind,
                "annotator": _username(link.created_by),
                "created": _iso(link.created_at),
            }
        )

    return {
        "AIF": {
            "nodes": graph.nodes,
            "edges": graph.edges,
            "locutions": locutions,
            "participants": [
                {"participantID": person, "firstname": author, "surname": ""}
                for author, person in participants.items()
            ],
            "schemefulfillments": [],
            "descriptorfulfillments": [],
        },
        "text": {"txt": _thread_text(comments, l_nodes)},
        "dialog": True,
        "sensemap": {
            "version": SENSEMAP_VERSION,
            "thread": {
                "id": thread.id,
                "title": thread.title,
                "source": thread.source,
                "source_url": thread.source_url,
            },
            "locutions": comment_entries,
            "claims": claim_entries,
            "links": link_entries,
        },
    }


def thread_xaif_json(thread: Thread) -> str:
    return json.dumps(thread_xaif(thread), ensure_ascii=False, indent=2) + "\n"
