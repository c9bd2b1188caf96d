"""The AIF (xAIF) export: it keeps AIF's graph rules, and the thread comes back from it alone."""

import json
from collections import defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Claim, ClaimLink, Reading
from apps.annotations.services import claim_create, claim_link_create, reading_create, reading_vote
from apps.conflicts.policy import consensus
from apps.exports.aif import thread_xaif
from apps.forum.models import Comment, Thread
from tests.exports.aif_checker import aif_problems
from tests.factories import (
    make_decomposition,
    make_definition,
    make_reading,
    make_term,
    make_thread,
    make_workspace,
    public_workspace,
)

pytestmark = pytest.mark.django_db

# Quotes a naive exporter would break: markup of several languages, line breaks, emoji.
TRICKY = (
    "Outer alignment [1] means <the reward> is right, not #goals // or /* this */ or "
    "<!-- that -->;\n+ {data: x} :smile: .->. === fence === @[mention] *bold* _it_ "
    "back\\slash — naïve café, 日本語, 🎯👍🏽.\n\n- a list? > a quote?"
)
TEXTS = (
    "Outer alignment means the reward is right on the training distribution. "
    "Inner alignment is the rest.",
    "No: outer alignment means the reward is right in the limit of infinite data.\n"
    "That's the standard sense [citation needed].",
    TRICKY,
    "Then inner alignment matters either way 👍",
)


def _claim(user, comment, quote, note=""):
    start = comment.text.index(quote)
    return claim_create(user=user, comment=comment, start=start, end=start + len(quote), note=note)


def annotated_thread(alice, bob, rita) -> Thread:
    """Four comments in a reply tree, five claims, sense and decomposition readings with votes,
    and links of every kind; quotes, terms and definitions full of markup."""
    thread = make_thread(texts=TEXTS)
    first, second, third, fourth = Comment.objects.filter(thread=thread).order_by("position")
    fourth.parent = first  # a second reply to the first comment: a tree, not a chain
    fourth.url = "https://forum.example/t/1?c=4"
    fourth.save(update_fields=["parent", "url"])
    outer = make_term(alice, "outer alignment")
    inner = make_term(alice, "inner alignment")
    odd = make_term(bob, "goal *mis*generalisation // [x]")
    training = make_definition(alice, outer, "The reward is right on training data.", "training")
    infinite = make_definition(bob, outer, "The reward is right with infinite data.")
    leftover = make_definition(bob, inner, "Whatever outer\nalignment leaves over.", "rest")
    weird = make_definition(bob, odd, "Multi\nline */ <!-- x --> {y: 1} ✨", "odd <label>")
    split = make_decomposition(bob, "Limit-of-data split", [infinite, leftover])
    a = _claim(alice, first, "the reward is right on the training distribution", "Ada's\nsense.")
    b = _claim(bob, second, "outer alignment means the reward is right in the limit")
    c = _claim(bob, third, TRICKY)
    d = _claim(alice, fourth, "inner alignment matters either way 👍")
    e = _claim(bob, second, "That's the standard sense [citation needed].")
    readings = [
        make_reading(alice, a, training),
        make_reading(bob, b, infinite),
        make_reading(bob, c, weird),
        make_reading(alice, d, leftover),
        reading_create(user=bob, claim=b, decomposition=split),
    ]
    reading_vote(reading=readings[0], user=rita, value=1)
    reading_vote(reading=readings[1], user=alice, value=-1)
    for source, target, kind in [
        (b, a, ClaimLink.Kind.ATTACKS),
        (e, b, ClaimLink.Kind.SUPPORTS),
        (c, b, ClaimLink.Kind.SUPPORTS),
        (c, a, ClaimLink.Kind.ATTACKS),
        (d, a, ClaimLink.Kind.RESTATES),
        (e, c, ClaimLink.Kind.CLARIFIES),
        (b, e, ClaimLink.Kind.ATTACKS),
    ]:
        claim_link_create(user=alice, source=source, target=target, kind=kind)
    return thread


@pytest.fixture
def thread(alice, bob, rita) -> Thread:
    return annotated_thread(alice, bob, rita)


def _export(client, thread: Thread) -> dict[str, Any]:
    response = client.get(f"/api/threads/{thread.id}/export/aif/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert f'filename="thread-{thread.id}-xaif.json"' in response["Content-Disposition"]
    return json.loads(response.content)


# The checker: each broken sample breaks one rule and is caught for that rule.


def _valid_sample() -> dict[str, Any]:
    """Two speakers: "A" (L1, asserting I1), and the reply "B" (L2, asserting I2 against I1)."""
    nodes = [
        (1, "L", "We should eat."),
        (2, "L", "No, it is too early."),
        (3, "TA", "Default Transition"),
        (4, "I", "We should eat."),
        (5, "YA", "Asserting"),
        (6, "I", "It is too early."),
        (7, "YA", "Asserting"),
        (8, "CA", "Default Conflict"),
        (9, "RA", "Default Inference"),
        (10, "I", "We had breakfast an hour ago."),
        (11, "YA", "Asserting"),
    ]
    edges = [(1, 3), (3, 2), (1, 5), (5, 4), (2, 7), (7, 6), (6, 8), (8, 4), (10, 9), (9, 6)]
    edges += [(2, 11), (11, 10)]
    return {
        "AIF": {
            "nodes": [{"nodeID": i, "type": t, "text": x, "timestamp": ""} for i, t, x in nodes],
            "edges": [{"edgeID": n, "fromID": f, "toID": t} for n, (f, t) in enumerate(edges, 1)],
            "locutions": [{"nodeID": 1, "personID": 1}, {"nodeID": 2, "personID": 2}],
            "participants": [
                {"participantID": 1, "firstname": "Ann", "surname": ""},
                {"participantID": 2, "firstname": "Bo", "surname": ""},
            ],
            "schemefulfillments": [],
            "descriptorfulfillments": [],
        },
        "text": {"txt": ""},
    }


def _node(sample, node_id):
    return next(n for n in sample["AIF"]["nodes"] if n["nodeID"] == node_id)


def _edge(sample, source, target):
    return next(e for e in sample["AIF"]["edges"] if (e["fromID"], e["toID"]) == (source, target))


def _add_edge(sample, source, target):
    edges = sample["AIF"]["edges"]
    edges.append({"edgeID": max(e["edgeID"] for e in edges) + 1, "fromID": source, "toID": target})


def _break(how):
    sample = _valid_sample()
    aif = sample["AIF"]
    if how == "unknown type":
        _node(sample, 4)["type"] = "X"
    elif how == "duplicate node id":
        aif["nodes"].append({"nodeID": 4, "type": "I", "text": "again", "timestamp": ""})
    elif how == "duplicate edge id":
        _edge(sample, 9, 6)["edgeID"] = _edge(sample, 10, 9)["edgeID"]
    elif how == "dangling edge":
        _edge(sample, 8, 4)["toID"] = 99
    elif how == "I to I":
        _add_edge(sample, 6, 4)
    elif how == "L to I":
        _add_edge(sample, 1, 4)
    elif how == "loop":
        _add_edge(sample, 4, 4)
    elif how == "twin edges":
        aif["edges"].append({**_edge(sample, 6, 8), "edgeID": 99})
    elif how == "RA without premise":
        aif["edges"].remove(_edge(sample, 10, 9))
    elif how == "RA with two conclusions":
        _add_edge(sample, 9, 4)
    elif how == "CA with two premises":
        _add_edge(sample, 10, 8)
    elif how == "CA without conclusion":
        aif["edges"].remove(_edge(sample, 8, 4))
    elif how == "YA illocuting two":
        _add_edge(sample, 5, 6)
    elif how == "TA between I-nodes":
        _node(sample, 1)["type"] = "I"
    elif how == "unanchored I-node":
        aif["edges"].remove(_edge(sample, 11, 10))
        aif["edges"].remove(_edge(sample, 2, 11))
        aif["nodes"].remove(_node(sample, 11))
    elif how == "unknown participant":
        aif["locutions"][1]["personID"] = 7
    elif how == "L-node without locution":
        aif["locutions"].pop()
    elif how == "locution of an I-node":
        aif["locutions"].append({"nodeID": 4, "personID": 1})
    elif how == "duplicate participant":
        aif["participants"][1]["participantID"] = 1
    elif how == "no edges list":
        del aif["edges"]
    return sample


BROKEN = {
    "unknown type": "has type 'X'",
    "duplicate node id": "node 4 is defined twice",
    "duplicate edge id": "is defined twice",
    "dangling edge": "joins a node that does not exist: 99",
    "I to I": "joins I to I",
    "L to I": "joins L to I",
    "loop": "is a loop on node 4",
    "twin edges": "2 edges from node 6 to node 8",
    "RA without premise": "RA-node 9 has 0 incoming I/S edges, needs at least one",
    "RA with two conclusions": "RA-node 9 has 2 outgoing I/S edges, needs one",
    "CA with two premises": "CA-node 8 has 2 incoming I/S edges, needs exactly one",
    "CA without conclusion": "CA-node 8 has 0 outgoing I/S edges",
    "YA illocuting two": "YA-node 5 must be anchored in one locution",
    "TA between I-nodes": "TA-node 3 must lead from one L-node to one L-node",
    "unanchored I-node": "I-node 10 is illocuted by no YA-node",
    "unknown participant": "names participant 7, who does not exist",
    "L-node without locution": "L-node 2 has 0 locution entries",
    "locution of an I-node": "does not name an L-node",
    "duplicate participant": "participant 1 is defined twice",
    "no edges list": "edges is not a list",
}


def test_the_checker_passes_a_well_formed_graph_in_either_envelope():
    sample = _valid_sample()
    assert aif_problems(sample) == []
    assert aif_problems(sample["AIF"]) == []  # bare AIF JSON, as AIFdb serves it
    assert aif_problems({"nodes": [], "edges": [], "locutions": [], "participants": []}) == []
    assert aif_problems({"text": "no graph"}) == ["not an AIF document: no AIF object and no nodes"]


@pytest.mark.parametrize("how", BROKEN)
def test_the_checker_rejects_each_broken_sample(how):
    problems = aif_problems(_break(how))
    assert any(BROKEN[how] in p for p in problems), problems


def test_an_unanchored_proposition_is_fine_outside_a_dialogue():
    assert aif_problems(_break("unanchored I-node"), anchored=False) == []


# The export.


def test_export_keeps_every_aif_rule(thread, anon_client):
    document = _export(anon_client, thread)
    assert aif_problems(document) == []
    types = defaultdict(int)
    for node in document["AIF"]["nodes"]:
        types[node["type"]] += 1
    # 4 comments, 3 of them replies; 5 claims each asserted once; 7 links.
    assert dict(types) == {"L": 4, "TA": 3, "I": 5, "YA": 5, "RA": 2, "CA": 3, "MA": 2}
    assert [p["firstname"] for p in document["AIF"]["participants"]] == ["ada", "ben", "cy"]
    assert document["dialog"] is True
    ids = [n["nodeID"] for n in document["AIF"]["nodes"]]
    assert ids == list(range(1, len(ids) + 1))
    stamps = [n["timestamp"] for n in document["AIF"]["nodes"] if n["type"] == "I"]
    assert all(len(s) == 19 and s[10] == " " for s in stamps)  # AIFdb's "YYYY-MM-DD HH:MM:SS"


def test_the_text_pane_carries_no_markup_from_the_forum(thread, anon_client):
    txt = _export(anon_client, thread)["text"]["txt"]
    assert "<the reward>" not in txt and "&lt;the reward&gt;" in txt
    assert "<!-- that -->" not in txt
    assert txt.count('<span class="highlighted"') == 4


# From the export alone: the AIF structure gives claims, speakers, offsets, links and the reply
# tree; the `sensemap` lists give the database ids and the readings.
KINDS = {
    ("RA", "Default Inference"): "supports",
    ("CA", "Default Conflict"): "attacks",
    ("MA", "Default Rephrase"): "restates",
    ("MA", "Clarifying Rephrase"): "clarifies",
}


def _rebuild(document: dict[str, Any]) -> dict[str, Any]:
    aif, extension = document["AIF"], document["sensemap"]
    nodes = {n["nodeID"]: n for n in aif["nodes"]}
    into, out = defaultdict(list), defaultdict(list)
    for edge in aif["edges"]:
        out[edge["fromID"]].append(edge["toID"])
        into[edge["toID"]].append(edge["fromID"])
    people = {p["participantID"]: p["firstname"] for p in aif["participants"]}
    speaker = {loc["nodeID"]: people[loc["personID"]] for loc in aif["locutions"]}
    comment_of = {entry["nodeID"]: entry["comment"] for entry in extension["locutions"]}
    claim_of = {entry["nodeID"]: entry["claim"] for entry in extension["claims"]}

    def only(ids, type_):
        (found,) = [i for i in ids if nodes[i]["type"] == type_]
        return found

    claims, links, replies = {}, set(), set()
    for node_id, node in nodes.items():
        if node["type"] == "I":
            locution = only(into[only(into[node_id], "YA")], "L")
            claims[claim_of[node_id]] = (
                comment_of[locution],
                speaker[locution],
                node["text_begin"],
                node["text_end"],
                node["text"],
                nodes[locution]["text"][node["text_begin"] : node["text_end"]],
            )
        elif (node["type"], node["text"]) in KINDS:
            source, target = only(into[node_id], "I"), only(out[node_id], "I")
            links.add((claim_of[source], claim_of[target], KINDS[node["type"], node["text"]]))
        elif node["type"] == "TA":
            replies.add((comment_of[only(into[node_id], "L")], comment_of[only(out[node_id], "L")]))
    readings = set()
    for entry in extension["claims"]:
        for r in entry["readings"]:
            if r["kind"] == "sense":
                sense = r["definition"]
                what = (sense["term"]["name"], sense["id"], sense["label"], sense["text"])
            else:
                parts = r["decomposition"]["definitions"]
                what = (r["decomposition"]["name"], tuple(sorted(d["id"] for d in parts)))
            votes = (r["votes_up"], r["votes_down"], r["consensus"], r["annotator"])
            readings.add((r["reading"], claim_of[entry["nodeID"]], r["kind"], what, votes))
    return {"claims": claims, "links": links, "replies": replies, "readings": readings}


def _from_database(thread: Thread) -> dict[str, Any]:
    claims = {
        c.id: (c.comment_id, c.comment.author, c.start, c.end, c.quote, c.quote)
        for c in Claim.objects.filter(comment__thread=thread).select_related("comment")
    }
    links = {
        (link.source_id, link.target_id, link.kind)
        for link in ClaimLink.objects.filter(source__comment__thread=thread)
    }
    replies = {
        (c.parent_id, c.id) for c in Comment.objects.filter(thread=thread, parent__isnull=False)
    }
    readings = set()
    for r in Reading.objects.filter(claim__comment__thread=thread):
        if r.kind == "sense":
            d = r.definition
            what = (r.term.name, d.id, d.label, d.text)
        else:
            parts = r.decomposition.definitions.all()
            what = (r.decomposition.name, tuple(sorted(d.id for d in parts)))
        votes = (
            r.votes_up,
            r.votes_down,
            consensus(r.votes_up, r.votes_down),
            r.created_by.username,
        )
        readings.add((r.id, r.claim_id, r.kind, what, votes))
    return {"claims": claims, "links": links, "replies": replies, "readings": readings}


def test_claims_links_readings_and_replies_come_back_from_the_export_alone(thread, anon_client):
    document = json.loads(json.dumps(_export(anon_client, thread)))  # as a reader parses it
    rebuilt, stored = _rebuild(document), _from_database(thread)
    assert rebuilt == stored
    assert len(stored["claims"]) == 5 and len(stored["readings"]) == 5
    assert {kind for *_, kind in stored["links"]} == set(ClaimLink.Kind.values)
    # The tricky quote, its line breaks and emoji included, is exactly the I-node's text.
    assert TRICKY in {quote for *_, quote, _ in rebuilt["claims"].values()}


def test_what_aif_has_no_place_for_is_in_the_sensemap_lists(thread, anon_client):
    extension = _export(anon_client, thread)["sensemap"]
    assert extension["version"] == 1
    assert extension["thread"]["id"] == thread.id
    note = next(c for c in extension["claims"] if c["note"])
    assert (note["note"], note["anchor"], note["annotator"]) == (
        "Ada's\nsense.",
        "anchored",
        "alice",
    )
    first = Comment.objects.get(thread=thread, position=0)
    assert note["prefix"] == first.text[: note["text_begin"]][-64:]
    decomposition = next(
        r for c in extension["claims"] for r in c["readings"] if r["kind"] == "decomposition"
    )
    parts = decomposition["decomposition"]["definitions"]
    assert [d["term"]["name"] for d in parts] == ["outer alignment", "inner alignment"]
    fourth = next(c for c in extension["locutions"] if c["url"])
    assert fourth["parent_comment"] == first.id
    kinds = {link["kind"] for link in extension["links"]}
    assert kinds == set(ClaimLink.Kind.values)


def test_the_export_costs_the_same_queries_whatever_the_thread_holds(thread, bob):
    # comments; claims; their readings with terms, definitions, decompositions and annotators;
    # the decompositions' definitions with their terms; links
    with CaptureQueriesContext(connection) as before:
        thread_xaif(thread)
    second = Comment.objects.filter(thread=thread).order_by("position")[1]
    sense = Reading.objects.filter(kind="sense").first().definition
    for quote in ("outer alignment", "reward is right", "infinite data"):
        claim = _claim(bob, second, quote)
        make_reading(bob, claim, sense)
        claim_link_create(
            user=bob, source=claim, target=claim.comment.claims.first(), kind="supports"
        )
    with CaptureQueriesContext(connection) as after:
        document = thread_xaif(thread)
    assert len(before) == len(after) == 5
    assert len([n for n in document["AIF"]["nodes"] if n["type"] == "I"]) == 8


def test_command_writes_the_same_document(thread, anon_client):
    out = StringIO()
    call_command("export_thread", str(thread.id), "--format", "aif", stdout=out)
    assert json.loads(out.getvalue()) == _export(anon_client, thread)
    with pytest.raises(CommandError, match="No thread with id 999999"):
        call_command("export_thread", "999999", "--format", "aif")


def test_an_empty_thread_is_an_empty_valid_graph(anon_client):
    bare = Thread.objects.create(
        workspace=public_workspace(), title="Nothing yet", source="text", external_id="bare"
    )
    document = _export(anon_client, bare)
    assert document["AIF"]["nodes"] == document["AIF"]["edges"] == []
    assert document["sensemap"]["claims"] == document["sensemap"]["links"] == []
    assert aif_problems(document) == []
    unannotated = _export(anon_client, make_thread())
    assert {n["type"] for n in unannotated["AIF"]["nodes"]} == {"L", "TA"}
    assert aif_problems(unannotated) == []


def test_unknown_formats_missing_and_private_threads(alice, bob, api_client_for, anon_client):
    thread = make_thread()
    response = anon_client.get(f"/api/threads/{thread.id}/export/xaif/")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_format"
    assert "aif, argdown" in error["message"]
    assert anon_client.get("/api/threads/999999/export/aif/").status_code == 404
    private = make_thread(workspace=make_workspace("private", members=(alice,)))
    for client in (anon_client, api_client_for(bob)):
        response = client.get(f"/api/threads/{private.id}/export/aif/")
        assert response.status_code == 404
        assert "error" in response.json()
    assert aif_problems(_export(api_client_for(alice), private)) == []


def test_the_checker_catches_a_broken_export(thread, anon_client):
    document = _export(anon_client, thread)
    types = {n["nodeID"]: n["type"] for n in document["AIF"]["nodes"]}
    premise = next(e for e in document["AIF"]["edges"] if types[e["fromID"]] == "I")
    premise["toID"] = next(i for i, t in types.items() if t == "I" and i != premise["fromID"])
    assert any("joins I to I" in p for p in aif_problems(document))
