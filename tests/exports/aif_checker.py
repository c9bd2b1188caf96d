"""The structural rules of an AIF argument graph, as a checker for AIF JSON and xAIF documents.

Where the rules come from: the AIF core ontology (Chesnevar et al. 2006, and ARG-tech's AIF
specification) reads an argument graph as a simple digraph of I-nodes and S-nodes whose edges
never join two I-nodes, every S-node having a predecessor and a successor (Bex, Prakken and Reed's
formal analysis, 2010); ARG-tech's xAIF documentation sums up AIF's constraints as "requiring
relations to have exactly one consequent and at least one antecedent, and limiting
interconnections between propositions to relations". The AIF+ dialogue extension (Reed et al.
2008), which OVA and AIFdb use, adds L-nodes (locutions), TA-nodes (transitions between them)
and YA-nodes (illocutions anchoring content in them). Checked here:

- node types are I (information), L (locution), the S-nodes RA (inference), CA (conflict),
  MA (rephrase), PA (preference), and the dialogue S-nodes TA (transition) and YA (illocution);
- node ids and edge ids are unique; an edge joins two existing, distinct nodes, at most once;
- an edge joins only these types: I→S and S→I (premise / conclusion, conflicting / conflicted,
  rephrased / rephrase, preferred / dispreferred), S→S (an S-node as argument of another, e.g.
  an undercutter), L→TA and TA→L (a transition between locutions), L→YA and TA→YA (an
  illocution anchored in a locution or a transition), YA→I and YA→S (what was illocuted).
  So never I→I, L→I, I→L, L→L, I→YA or YA→L;
- among I- and S-nodes, an RA-node has at least one premise and exactly one conclusion; a CA-,
  MA- or PA-node exactly one predecessor and one successor;
- a TA-node comes from exactly one L-node and leads to exactly one L-node; a YA-node is anchored
  in exactly one L- or TA-node and illocutes exactly one I- or S-node;
- every L-node has exactly one `locutions` entry, every locution names an L-node and an existing
  participant, participant ids are unique;
- in a dialogue (`anchored=True`), every I-node is illocuted by some YA-node: a proposition in
  the graph is one somebody put forward.
"""

from collections import Counter, defaultdict
from typing import Any

S_NODES = frozenset({"RA", "CA", "MA", "PA"})
DIALOGUE_NODES = frozenset({"TA", "YA"})
NODE_TYPES = frozenset({"I", "L"}) | S_NODES | DIALOGUE_NODES
ARGUMENT_NODES = frozenset({"I"}) | S_NODES

ALLOWED_EDGES = frozenset(
    {("I", s) for s in S_NODES}
    | {(s, "I") for s in S_NODES}
    | {(s, t) for s in S_NODES for t in S_NODES}
    | {("L", "TA"), ("TA", "L"), ("L", "YA"), ("TA", "YA"), ("YA", "I")}
    | {("YA", s) for s in S_NODES}
)


def _is_id(value: Any) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


def _graph_part(document: Any) -> dict[str, Any] | None:
    """The AIF object of an xAIF document, or a bare AIF JSON document itself."""
    if isinstance(document, dict) and isinstance(document.get("AIF"), dict):
        return document["AIF"]
    if isinstance(document, dict) and "nodes" in document:
        return document
    return None


def aif_problems(document: Any, *, anchored: bool = True) -> list[str]:
    """Every way `document` breaks the AIF rules above; empty when it keeps them all."""
    aif = _graph_part(document)
    if aif is None:
        return ["not an AIF document: no AIF object and no nodes"]
    problems: list[str] = []
    for key in ("nodes", "edges", "locutions", "participants"):
        if not isinstance(aif.get(key), list):
            problems.append(f"{key} is not a list")
    if problems:
        return problems

    types: dict[Any, str] = {}
    for node in aif["nodes"]:
        if not isinstance(node, dict) or not _is_id(node.get("nodeID")):
            problems.append(f"node without a nodeID: {node!r}")
            continue
        node_id = node["nodeID"]
        if node_id in types:
            problems.append(f"node {node_id!r} is defined twice")
        if node.get("type") not in NODE_TYPES:
            problems.append(f"node {node_id!r} has type {node.get('type')!r}")
        if not isinstance(node.get("text"), str):
            problems.append(f"node {node_id!r} has no text")
        types[node_id] = node.get("type")

    edge_ids: set[Any] = set()
    pairs: Counter[tuple[Any, Any]] = Counter()
    incoming: dict[Any, list[str]] = defaultdict(list)
    outgoing: dict[Any, list[str]] = defaultdict(list)
    for edge in aif["edges"]:
        if not isinstance(edge, dict) or not _is_id(edge.get("edgeID")):
            problems.append(f"edge without an edgeID: {edge!r}")
            continue
        edge_id, source, target = edge["edgeID"], edge.get("fromID"), edge.get("toID")
        if edge_id in edge_ids:
            problems.append(f"edge {edge_id!r} is defined twice")
        edge_ids.add(edge_id)
        missing = [end for end in (source, target) if not _is_id(end) or end not in types]
        if missing:
            problems.append(f"edge {edge_id!r} joins a node that does not exist: {missing[0]!r}")
            continue
        if source == target:
            problems.append(f"edge {edge_id!r} is a loop on node {source!r}")
        pairs[(source, target)] += 1
        pair = (types[source], types[target])
        if pair not in ALLOWED_EDGES:
            problems.append(f"edge {edge_id!r} joins {pair[0]} to {pair[1]}: not allowed in AIF")
        outgoing[source].append(types[target])
        incoming[target].append(types[source])
    for (source, target), n in pairs.items():
        if n > 1:
            problems.append(f"{n} edges from node {source!r} to node {target!r}")

    problems += _arity_problems(types, incoming, outgoing, anchored=anchored)
    problems += _locution_problems(aif, types)
    return problems


def _arity_problems(
    types: dict[Any, str],
    incoming: dict[Any, list[str]],
    outgoing: dict[Any, list[str]],
    *,
    anchored: bool,
) -> list[str]:
    problems = []
    for node_id, type_ in types.items():
        ins, outs = incoming[node_id], outgoing[node_id]
        if type_ in S_NODES:
            premises = sum(t in ARGUMENT_NODES for t in ins)
            conclusions = sum(t in ARGUMENT_NODES for t in outs)
            least = "at least one" if type_ == "RA" else "exactly one"
            if premises == 0 or (type_ != "RA" and premises != 1):
                problems.append(
                    f"{type_}-node {node_id!r} has {premises} incoming I/S edges, needs {least}"
                )
            if conclusions != 1:
                problems.append(
                    f"{type_}-node {node_id!r} has {conclusions} outgoing I/S edges, needs one"
                )
        elif type_ == "TA":
            if ins.count("L") != 1 or outs.count("L") != 1:
                problems.append(
                    f"TA-node {node_id!r} must lead from one L-node to one L-node "
                    f"(has {ins.count('L')} in, {outs.count('L')} out)"
                )
        elif type_ == "YA":
            if len(ins) != 1 or len(outs) != 1:
                problems.append(
                    f"YA-node {node_id!r} must be anchored in one locution or transition and "
                    f"illocute one I- or S-node (has {len(ins)} in, {len(outs)} out)"
                )
        elif type_ == "I" and anchored and "YA" not in ins:
            problems.append(f"I-node {node_id!r} is illocuted by no YA-node")
    return problems


def _locution_problems(aif: dict[str, Any], types: dict[Any, str]) -> list[str]:
    problems = []
    people: set[Any] = set()
    for participant in aif["participants"]:
        person = participant.get("participantID") if isinstance(participant, dict) else None
        if not _is_id(person):
            problems.append(f"participant without a participantID: {participant!r}")
            continue
        if person in people:
            problems.append(f"participant {person!r} is defined twice")
        people.add(person)
        for name in ("firstname", "surname"):
            if not isinstance(participant.get(name), str):
                problems.append(f"participant {person!r} has no {name}")
    spoken: Counter[Any] = Counter()
    for locution in aif["locutions"]:
        node_id = locution.get("nodeID") if isinstance(locution, dict) else None
        if types.get(node_id) != "L":
            problems.append(f"locution {locution!r} does not name an L-node")
            continue
        spoken[node_id] += 1
        if locution.get("personID") not in people:
            problems.append(
                f"locution of L-node {node_id!r} names participant {locution.get('personID')!r}, "
                "who does not exist"
            )
    for node_id, type_ in types.items():
        if type_ == "L" and spoken[node_id] != 1:
            problems.append(f"L-node {node_id!r} has {spoken[node_id]} locution entries, not one")
    return problems
