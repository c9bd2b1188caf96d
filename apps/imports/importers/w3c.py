"""W3C Web Annotation JSON-LD and Hypothesis exports, read into annotations on text; no database.

Accepted shapes (https://www.w3.org/TR/annotation-model/):

- one `Annotation`, a list of them, an `AnnotationPage` (`items`), or an `AnnotationCollection`
  whose `first` page is embedded (pages chained by embedded `next` pages are followed; a page
  given only by its IRI cannot be, since imports never fetch anything);
- a Hypothesis export: the client's file `{"export_date", "export_userid", "annotations": […]}`,
  an API search answer `{"total", "rows": […], "replies": […]}`, or a plain list of annotations
  (`uri`, `target[].selector[]`, `text`, `tags`, `references` for replies).

What each annotation marks is a `TextTarget`: a document IRI (a comment's or a thread's URL) and
its TextPositionSelector and TextQuoteSelector (also inside `refinedBy`). Bodies become senses
(`classifying`/`tagging` bodies and Hypothesis tags, each with the `describing` body
`sensemap:reading` pairs with it, or the only one there is), decomposition readings
(`classifying` with `sensemap:decomposition`), the note (`commenting` or purpose-less text, or
Hypothesis `text`) and linked resources (`linking` bodies, a reply's own text). Which of those
name claims, terms or comments is decided by the import service, which knows the thread.

A selector that cannot be right whatever the thread says (negative or inverted offsets, an empty
quote, a value of the wrong type) is an ImportFormatError naming its place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .base import ImportFormatError
from .tree import expect_list, expect_object, load_json, type_name

FORMAT = "w3c"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_HYPOTHESIS_EXPORT_KEYS = ("export_date", "export_userid", "client_version")
# Pages followed through `next`; a chain longer than this is not an export.
MAX_PAGES = 10_000


@dataclass(frozen=True)
class TextTarget:
    """A document and, when selectors say so, a span of its text."""

    source: str
    start: int | None = None
    end: int | None = None
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    # Selector types that cannot be matched to a comment's text (RangeSelector, CssSelector…).
    other_selectors: tuple[str, ...] = ()

    @property
    def selects_text(self) -> bool:
        return self.exact is not None or self.start is not None

    @property
    def bare(self) -> bool:
        """The whole document: no selector of any kind."""
        return not self.selects_text and not self.other_selectors


@dataclass(frozen=True)
class Sense:
    """A term the annotation says the text uses, with the definition it carries there if given."""

    term: str
    term_iri: str = ""
    definition: str = ""
    definition_iri: str = ""
    label: str = ""
    origin: str = ""


@dataclass(frozen=True)
class DecompositionBody:
    name: str
    iri: str = ""


@dataclass(frozen=True)
class ParsedAnnotation:
    id: str
    # Its place in the file, e.g. "$.first.items[3]", for messages.
    path: str
    motivations: frozenset[str]
    targets: tuple[TextTarget, ...]
    senses: tuple[Sense, ...] = ()
    decompositions: tuple[DecompositionBody, ...] = ()
    note: str = ""
    # Resources among the bodies: the other claim of a link, the own text of a reply.
    linked: tuple[TextTarget, ...] = ()
    # Hypothesis: the annotations this one replies to, the thread's root first, its parent last.
    references: tuple[str, ...] = ()
    # Hypothesis positions count characters of the whole web page, not of one comment.
    page_offsets: bool = False
    # Bodies read but not importable, with why.
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedAnnotations:
    annotations: list[ParsedAnnotation] = field(default_factory=list)


def looks_like(data: Any) -> bool:
    """Whether decoded JSON holds Web Annotations or a Hypothesis export."""
    if isinstance(data, list):
        return bool(data) and all(_looks_like_annotation(item) for item in data)
    if not isinstance(data, dict):
        return False
    if _types(data) & {"Annotation", "AnnotationCollection", "AnnotationPage"}:
        return True
    if _mentions_anno_context(data.get("@context")):
        return True
    if isinstance(data.get("annotations"), list):
        return any(key in data for key in _HYPOTHESIS_EXPORT_KEYS)
    return isinstance(data.get("rows"), list) and "total" in data


def parse(content: str) -> ParsedAnnotations:
    return parse_data(load_json(content))


def parse_data(data: Any) -> ParsedAnnotations:
    items = list(_items(data))
    if not items:
        raise ImportFormatError("The file holds no annotations: there is nothing to import.")
    annotations = [_annotation(item, path) for path, item in items]
    seen: dict[str, str] = {}
    for annotation in annotations:
        if annotation.id in seen:
            raise ImportFormatError(
                f"Two annotations have the id {annotation.id!r} ({seen[annotation.id]} and "
                f"{annotation.path}); an id names one annotation.",
                detail={"path": annotation.path, "id": annotation.id},
            )
        seen[annotation.id] = annotation.path
    return ParsedAnnotations(annotations)


# The file's shape


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("type", obj.get("@type"))
    values = value if isinstance(value, list) else [value]
    return {v.removeprefix("oa:").removeprefix("as:") for v in values if isinstance(v, str)}


def _mentions_anno_context(context: Any) -> bool:
    contexts = context if isinstance(context, list) else [context]
    return any(isinstance(c, str) and c.rstrip("/") == ANNO_CONTEXT for c in contexts)


def _is_hypothesis(obj: dict[str, Any]) -> bool:
    return "target" in obj and ("uri" in obj or "user" in obj) and not _types(obj)


def _looks_like_annotation(obj: Any) -> bool:
    return isinstance(obj, dict) and ("Annotation" in _types(obj) or _is_hypothesis(obj))


def _items(data: Any) -> list[tuple[str, Any]]:
    """(path, annotation object) for every annotation the file holds, in file order."""
    if isinstance(data, list):
        return [(f"$[{i}]", item) for i, item in enumerate(data)]
    top = expect_object(data, "The file")
    types = _types(top)
    if "Annotation" in types:
        return [("$", top)]
    if "AnnotationCollection" in types:
        first = top.get("first")
        if first is None:
            if top.get("total") in (0, None):
                return []
            raise ImportFormatError(
                "The AnnotationCollection has no `first` page, so its annotations are not in "
                "the file.",
                detail={"path": "$.first"},
            )
        return _pages(first, "$.first")
    if "AnnotationPage" in types:
        return _pages(top, "$")
    for key in ("annotations", "rows"):
        if isinstance(top.get(key), list):
            found = [(f"$.{key}[{i}]", item) for i, item in enumerate(top[key])]
            replies = expect_list(top.get("replies", []), "$.replies")
            return found + [(f"$.replies[{i}]", item) for i, item in enumerate(replies)]
    raise ImportFormatError(
        "The file is not W3C Web Annotations: expected an Annotation, an AnnotationCollection, "
        "an AnnotationPage, a list of annotations or a Hypothesis export.",
        detail={"path": "$"},
    )


def _pages(page: Any, path: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for _ in range(MAX_PAGES):
        if isinstance(page, str):
            raise ImportFormatError(
                f"{path} is a link to a page ({page[:200]!r}), not the page itself; imports "
                "read only what is in the file, so export the collection with its pages "
                "embedded.",
                detail={"path": path},
            )
        page = expect_object(page, path)
        if "AnnotationPage" not in _types(page):
            raise ImportFormatError(
                f"{path} should be an AnnotationPage, not {_type_words(page)}.",
                detail={"path": path},
            )
        items = expect_list(page.get("items", []), f"{path}.items")
        found += [(f"{path}.items[{i}]", item) for i, item in enumerate(items)]
        if page.get("next") is None:
            return found
        page, path = page["next"], f"{path}.next"
    raise ImportFormatError(f"The collection has more than {MAX_PAGES} pages.")


def _type_words(obj: dict[str, Any]) -> str:
    types = sorted(_types(obj))
    return f"type {', '.join(types)}" if types else "an object without a type"


# One annotation


def _annotation(item: Any, path: str) -> ParsedAnnotation:
    obj = expect_object(item, path)
    if "Annotation" in _types(obj):
        return _w3c_annotation(obj, path)
    if _is_hypothesis(obj):
        return _hypothesis_annotation(obj, path)
    raise ImportFormatError(
        f"{path} is not an annotation: it has {_type_words(obj)}, and a W3C annotation has "
        '"type": "Annotation" (a Hypothesis one has `uri` and `target`).',
        detail={"path": path},
    )


def _id(obj: dict[str, Any], path: str) -> str:
    value = obj.get("id", obj.get("@id"))
    if not isinstance(value, str) or not value.strip():
        raise ImportFormatError(
            f"{path} has no id; every annotation needs one, so that importing it again finds "
            "what the first import made.",
            detail={"path": f"{path}.id"},
        )
    if len(value) > 1000:
        raise ImportFormatError(
            f"{path}.id is {len(value)} characters long; at most 1000 fit.",
            detail={"path": f"{path}.id"},
        )
    return value.strip()


def _str(obj: dict[str, Any], key: str, path: str, default: str = "") -> str:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ImportFormatError(
            f"{path}.{key} should be a string, not {type_name(value)}.",
            detail={"path": f"{path}.{key}"},
        )
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _motivations(obj: dict[str, Any], path: str) -> frozenset[str]:
    found = set()
    for value in _as_list(obj.get("motivation")):
        if not isinstance(value, str):
            raise ImportFormatError(
                f"{path}.motivation should be a string, not {type_name(value)}.",
                detail={"path": f"{path}.motivation"},
            )
        found.add(value.removeprefix("oa:"))
    return frozenset(found)


def _w3c_annotation(obj: dict[str, Any], path: str) -> ParsedAnnotation:
    annotation_id = _id(obj, path)
    if obj.get("target") is None:
        raise ImportFormatError(
            f"{path} has no target: an annotation must say what it is about.",
            detail={"path": f"{path}.target"},
        )
    targets = [
        _resource(value, f"{path}.target" + (f"[{i}]" if isinstance(obj["target"], list) else ""))
        for i, value in enumerate(_as_list(obj["target"]))
    ]
    if not targets:
        raise ImportFormatError(f"{path}.target is empty.", detail={"path": f"{path}.target"})
    bodies = _Bodies(path)
    for i, body in enumerate(_as_list(obj.get("body"))):
        bodies.read(body, f"{path}.body" + (f"[{i}]" if isinstance(obj["body"], list) else ""))
    if "bodyValue" in obj:
        bodies.notes.append(_str(obj, "bodyValue", path))
    return ParsedAnnotation(
        id=annotation_id,
        path=path,
        motivations=_motivations(obj, path),
        targets=tuple(targets),
        senses=bodies.senses(),
        decompositions=tuple(bodies.decompositions),
        note="\n\n".join(n for n in bodies.notes if n.strip()),
        linked=tuple(bodies.resources),
        ignored=tuple(bodies.ignored),
    )


def _hypothesis_annotation(obj: dict[str, Any], path: str) -> ParsedAnnotation:
    annotation_id = _id(obj, path)
    uri = _str(obj, "uri", path)
    targets = []
    for i, target in enumerate(expect_list(obj["target"], f"{path}.target")):
        where = f"{path}.target[{i}]"
        target = expect_object(target, where)
        if not target.get("source") and uri:
            target = {**target, "source": uri}
        targets.append(_resource(target, where))
    if not targets:
        if not uri:
            raise ImportFormatError(f"{path} has no target and no uri.", detail={"path": path})
        targets.append(TextTarget(source=uri))
    tags = []
    for i, tag in enumerate(expect_list(obj.get("tags", []), f"{path}.tags")):
        if not isinstance(tag, str):
            raise ImportFormatError(
                f"{path}.tags[{i}] should be a string, not {type_name(tag)}.",
                detail={"path": f"{path}.tags[{i}]"},
            )
        tags.append(Sense(term=tag))
    references = expect_list(obj.get("references", []), f"{path}.references")
    if not all(isinstance(r, str) for r in references):
        raise ImportFormatError(
            f"{path}.references should be a list of annotation ids.",
            detail={"path": f"{path}.references"},
        )
    return ParsedAnnotation(
        id=annotation_id,
        path=path,
        motivations=frozenset({"replying"} if references else {"commenting"}),
        targets=tuple(targets),
        senses=tuple(tags),
        note=_str(obj, "text", path),
        references=tuple(references),
        page_offsets=True,
    )


# Targets and selectors


def _resource(value: Any, path: str) -> TextTarget:
    """A target or a resource body: an IRI, or a SpecificResource with selectors."""
    if isinstance(value, str):
        if not value.strip():
            raise ImportFormatError(f"{path} is an empty IRI.", detail={"path": path})
        return TextTarget(source=value.strip())
    obj = expect_object(value, path)
    source = obj.get("source")
    if isinstance(source, dict):  # a source described as an object: its id names it
        source = source.get("id", source.get("@id"))
    if source is None and not obj.get("selector"):
        source = obj.get("id", obj.get("@id"))  # an external resource given as {"id": …}
    if not isinstance(source, str) or not source.strip():
        raise ImportFormatError(
            f"{path} has no source: a target names the document it selects from.",
            detail={"path": f"{path}.source"},
        )
    found: dict[str, Any] = {}
    others: list[str] = []
    for i, selector in enumerate(_as_list(obj.get("selector"))):
        where = f"{path}.selector" + (f"[{i}]" if isinstance(obj["selector"], list) else "")
        _selector(selector, where, found, others)
    return TextTarget(source=source.strip(), other_selectors=tuple(others), **found)


def _selector(value: Any, path: str, found: dict[str, Any], others: list[str]) -> None:
    obj = expect_object(value, path)
    types = _types(obj)
    if "TextPositionSelector" in types:
        if "start" in found:
            raise ImportFormatError(
                f"{path} is a second TextPositionSelector; a target selects one span.",
                detail={"path": path},
            )
        start, end = (_offset(obj, key, path) for key in ("start", "end"))
        if start >= end:
            raise ImportFormatError(
                f"{path}: start ({start}) must be less than end ({end}); a span covers at least "
                "one character.",
                detail={"path": path, "start": start, "end": end},
            )
        found.update(start=start, end=end)
    elif "TextQuoteSelector" in types:
        if "exact" in found:
            raise ImportFormatError(
                f"{path} is a second TextQuoteSelector; a target selects one span.",
                detail={"path": path},
            )
        exact = _str(obj, "exact", path)
        if not exact.strip():
            raise ImportFormatError(
                f"{path}.exact is empty: a TextQuoteSelector quotes the text it selects.",
                detail={"path": f"{path}.exact"},
            )
        found.update(
            exact=exact, prefix=_str(obj, "prefix", path), suffix=_str(obj, "suffix", path)
        )
    elif types:
        others.append(sorted(types)[0])
    else:
        raise ImportFormatError(f"{path} has no type.", detail={"path": f"{path}.type"})
    if obj.get("refinedBy") is not None:
        _selector(obj["refinedBy"], f"{path}.refinedBy", found, others)


def _offset(obj: dict[str, Any], key: str, path: str) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ImportFormatError(
            f"{path}.{key} should be a character offset (a whole number, 0 or more), not "
            f"{value!r}.",
            detail={"path": f"{path}.{key}"},
        )
    return value


# Bodies


class _Bodies:
    """Collects an annotation's bodies, pairing definitions with their terms."""

    def __init__(self, path: str) -> None:
        self.path = path
        # (pairing key, classifying?, Sense) of classifying and tagging bodies, in file order.
        self.terms: list[tuple[str, bool, Sense]] = []
        # (pairing key, text, iri, label, path) of describing bodies.
        self.definitions: list[tuple[str, str, str, str, str]] = []
        self.decompositions: list[DecompositionBody] = []
        self.notes: list[str] = []
        self.resources: list[TextTarget] = []
        self.ignored: list[str] = []

    def read(self, body: Any, path: str) -> None:
        if isinstance(body, str) or (
            isinstance(body, dict) and ("source" in body or "SpecificResource" in _types(body))
        ):
            self.resources.append(_resource(body, path))
            return
        obj = expect_object(body, path)
        if "Choice" in _types(obj):
            self.ignored.append(f"{path} is a Choice of bodies, which has no claim equivalent.")
            return
        if "value" not in obj:
            self.ignored.append(f"{path} is neither text nor a resource (no value or source).")
            return
        value = _str(obj, "value", path)
        purposes = {
            p.removeprefix("oa:") for p in _as_list(obj.get("purpose")) if isinstance(p, str)
        }
        pair = _str(obj, "sensemap:reading", path)
        if "describing" in purposes:
            label = _str(obj, "sensemap:label", path)
            iri = _str(obj, "sensemap:definition", path)
            self.definitions.append((pair, value.strip(), iri, label.strip(), path))
        elif "classifying" in purposes and "sensemap:decomposition" in obj:
            iri = _str(obj, "sensemap:decomposition", path)
            self.decompositions.append(DecompositionBody(name=value.strip(), iri=iri))
        elif purposes & {"classifying", "tagging"}:
            sense = Sense(
                term=value.strip(),
                term_iri=_str(obj, "sensemap:term", path),
                origin=_str(obj, "sensemap:origin", path),
            )
            self.terms.append((pair, "classifying" in purposes, sense))
        elif not purposes or purposes & {"commenting", "replying", "editing", "questioning"}:
            self.notes.append(value)
        else:
            self.ignored.append(
                f"{path} has purpose {', '.join(sorted(purposes))}, which has no claim equivalent."
            )

    def senses(self) -> tuple[Sense, ...]:
        senses = [sense for _, _, sense in self.terms]
        index_of = {pair: i for i, (pair, _, _) in enumerate(self.terms) if pair}
        # Unpaired, a definition is of the one classifying body, or else of the one tag.
        classifying = [i for i, (_, is_classifying, _) in enumerate(self.terms) if is_classifying]
        only = classifying if classifying else list(range(len(self.terms)))
        for pair, text, iri, label, path in self.definitions:
            i = index_of.get(pair) if pair else (only[0] if len(only) == 1 else None)
            if i is None or not text or senses[i].definition:
                self.ignored.append(
                    f"{path} is a definition that no single term of the annotation pairs with."
                )
                continue
            senses[i] = Sense(
                term=senses[i].term,
                term_iri=senses[i].term_iri,
                definition=text,
                definition_iri=iri,
                label=label,
                origin=senses[i].origin,
            )
        return tuple(senses)
