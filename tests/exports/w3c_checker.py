"""The W3C Web Annotation test suite's MUST assertions, run with `jsonschema` + `referencing`.

The suite (`../shared/w3c-annotation-tests/` beside the project) lists in
`annotations/annotationMusts.test` the JSON Schema (draft-04) files every annotation MUST
satisfy. Each assertion file carries `expectedResult` ("valid": the annotation must validate;
"invalid": it must not) and `$ref`s the shared schemas in `definitions/` by file name
(`"annotations.json#/definitions/…"`). Every schema of the suite is registered under its own
`id` (its file name), its file name and its path in the suite, so those references resolve
offline. `collections/collectionMusts.test` and `collections/pages/pageMusts.test` are read the
same way for an AnnotationCollection and its embedded page.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-annotation-tests"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"
MISSING = f"the W3C Web Annotation test suite is not at {SUITE} (CI has it)"


@dataclass(frozen=True)
class Assertion:
    name: str
    validator: Draft4Validator
    expect_valid: bool
    message: str

    def failure(self, document: Any) -> str | None:
        """Why `document` fails this assertion, or None when it passes."""
        valid = self.validator.is_valid(document)
        if valid == self.expect_valid:
            return None
        return f"{self.name}: {self.message}"


def suite_present() -> bool:
    return (SUITE / ANNOTATION_MUSTS).is_file()


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SUITE.rglob("*.json")):
        if "samples" in path.parts:
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(schema, default_specification=DRAFT4)
        names = {path.name, str(path.relative_to(SUITE)), schema.get("id", path.name)}
        resources += [(name, resource) for name in names]
    return Registry().with_resources(resources)


@cache
def assertions(test_file: str = ANNOTATION_MUSTS) -> tuple[Assertion, ...]:
    """Every assertion a `.test` file lists, ready to run."""
    registry = _registry()
    listed = json.loads((SUITE / test_file).read_text(encoding="utf-8"))["assertions"]
    loaded = []
    for name in listed:
        schema = json.loads((SUITE / name).read_text(encoding="utf-8"))
        expected = schema.get("expectedResult", "valid")
        if expected not in ("valid", "invalid"):
            raise ValueError(f"{name}: unknown expectedResult {expected!r}")
        loaded.append(
            Assertion(
                name=name,
                validator=Draft4Validator(schema, registry=registry),
                expect_valid=expected == "valid",
                message=schema.get("errorMessage", schema.get("title", "")),
            )
        )
    return tuple(loaded)


def must_failures(document: Any, test_file: str = ANNOTATION_MUSTS) -> list[str]:
    """The MUST assertions `document` fails (empty when it passes them all)."""
    return [failure for a in assertions(test_file) if (failure := a.failure(document)) is not None]
