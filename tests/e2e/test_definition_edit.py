"""Editing a definition on its term's page while someone else edits it too."""

import re

import pytest
from playwright.sync_api import expect

from apps.glossary.services import definition_update
from tests.e2e.conftest import App
from tests.factories import make_definition, make_term

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MINE = "The reward is right on the training distribution."
THEIRS = "The reward is right in the limit of infinite data."
MERGED = "The reward is right in the limit of infinite data, not just on training."


def test_an_edit_made_from_a_stale_version_shows_the_current_text(app: App, jobs, alice, rita):
    term = make_term(alice)
    definition = make_definition(alice, term, MINE, label="training")
    page = app.open(f"/terms/{term.id}", as_user=alice)
    app.allow_console_error(page, r"status of 409")
    item = page.locator(f"#definition-{definition.id}")

    item.get_by_role("button", name="Edit training", exact=True).click()
    item.get_by_label("Definition", exact=True).fill("My own rewording.")
    # Someone saves first, from the same version.
    definition_update(definition=definition, user=rita, version=1, text=THEIRS, label="limit")
    item.get_by_role("button", name="Save", exact=True).click()

    alert = item.get_by_role("alert")
    expect(alert).to_contain_text("Someone else changed this definition")
    expect(alert).to_contain_text(THEIRS)
    item.get_by_role("button", name="Reload their version", exact=True).click()
    expect(item.get_by_label("Definition", exact=True)).to_have_value(THEIRS)
    item.get_by_label("Definition", exact=True).fill(MERGED)
    item.get_by_role("button", name="Save", exact=True).click()

    expect(item.locator(".definition-text").first).to_have_text(MERGED)
    expect(item).to_contain_text("version 3")
    item.get_by_text(re.compile(r"Earlier versions \(2\)")).click()
    expect(item.get_by_text(MINE, exact=True)).to_be_visible()
    expect(item.get_by_text(THEIRS, exact=True)).to_be_visible()
    definition.refresh_from_db()
    assert (definition.version, definition.text, definition.label) == (3, MERGED, "limit")
    app.assert_no_console_errors()
