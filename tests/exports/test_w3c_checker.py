"""The MUST checker rejects what the W3C test suite's own samples say it must, and no more."""

import json
from pathlib import Path

import pytest

from tests.exports import w3c_checker
from tests.exports.w3c_checker import COLLECTION_MUSTS, MISSING, PAGE_MUSTS, SUITE, must_failures

pytestmark = pytest.mark.skipif(not w3c_checker.suite_present(), reason=MISSING)

# The suite's own checker has no Composite/List/Independents target in its MUST schemas.
COMPOSITE_TARGETS = {"anno11.json", "anno12.json", "anno13.json"}
# Valid JSON, but its flaw is one no MUST assertion covers.
INCORRECT_BUT_PASSES = {"anno6.json"}


def _samples(kind: str) -> list[Path]:
    return sorted((SUITE / "tools" / "samples" / kind).glob("*.json"))


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def test_every_listed_assertion_loads():
    listed = json.loads((SUITE / w3c_checker.ANNOTATION_MUSTS).read_text())["assertions"]
    assert len(w3c_checker.assertions()) == len(listed) == 54
    assert all(a.expect_valid for a in w3c_checker.assertions())


def test_correct_annotations_pass_every_must():
    annotations = [p for p in _samples("correct") if p.name.startswith("anno")]
    failing = {p.name for p in annotations if must_failures(_load(p))}
    assert len(annotations) == 41
    assert failing == COMPOSITE_TARGETS


def test_correct_collections_and_pages_pass_their_musts():
    collection = _load(SUITE / "tools/samples/correct/collection1.json")
    assert must_failures(collection, COLLECTION_MUSTS) == []
    assert must_failures(collection, PAGE_MUSTS) == []
    for item in collection["first"]["items"]:
        if item["id"].rsplit("/", 1)[-1] + ".json" not in COMPOSITE_TARGETS:
            assert must_failures({"@context": collection["@context"], **item}) == []


def test_incorrect_samples_fail_at_least_one_must():
    samples = _samples("incorrect")
    passing = set()
    for path in samples:
        document = _load(path)
        if document is not None and not must_failures(document):
            passing.add(path.name)
    assert len(samples) == 39
    assert passing == INCORRECT_BUT_PASSES


def test_a_failure_names_the_assertion_and_says_why():
    failures = must_failures({"@context": "http://example.org/other", "type": "Annotation"})
    assert any(
        f.startswith("annotations/3.1-annotationContextValidated.json: ERROR") for f in failures
    )
    assert any("3.1-annotationIdValidated.json" in f for f in failures)
    assert any("3.1-targetKeyFound.json" in f for f in failures)
