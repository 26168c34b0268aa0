"""Every field of an editable inline row has a name of its own (axe's ``label`` and
``select-name``: Django puts the column's label in the table's header only)."""

import re

import pytest

from tests.agreements.test_admin_helpers import login

pytestmark = pytest.mark.django_db


def test_every_inline_field_is_named_by_its_column_and_row(client, case_handler, draft):
    login(client, case_handler)
    body = client.get(f"/admin/agreements/agreement/{draft.pk}/change/").content.decode()
    fields = re.findall(r'<(?:input|select|textarea)[^>]*name="tasks-0-[^"]*"[^>]*>', body)
    visible = [f for f in fields if 'type="hidden"' not in f]
    assert visible, "the task row has no fields: this test no longer tests anything"
    for field in visible:
        assert 'aria-label="' in field, field
    assert re.search(r'aria-label="[^"]+, (rad|row) 1"', body)
    assert re.search(
        r'name="tasks-__prefix__-kind"[^>]*aria-label="[^"]+, (ny rad|new row)"', body
    ) or re.search(r'aria-label="[^"]+, (ny rad|new row)"[^>]*name="tasks-__prefix__-kind"', body)


def test_hidden_inputs_get_no_name(client, case_handler, draft):
    """An input of type hidden must not have aria-* attributes (the HTML standard)."""
    login(client, case_handler)
    body = client.get(f"/admin/agreements/agreement/{draft.pk}/change/").content.decode()
    hidden = re.findall(r'<input[^>]*type="hidden"[^>]*name="tasks-0-[^"]*"[^>]*>', body)
    assert hidden, "no hidden task fields: this test no longer tests anything"
    assert not [field for field in hidden if "aria-label" in field]
