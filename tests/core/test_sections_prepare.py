"""core.sections: a section on every row of a list loads what its rows show once for the list
(``prepare``), not once per row."""

from core.sections import PageSections


def test_prepare_runs_once_for_the_whole_list_of_its_slot_only():
    page = PageSections("list page", slots=["row", "top"])
    calls = []
    page.register("row", "a.html", lambda context, obj: {}, prepare=calls.append)
    page.register("row", "b.html", lambda context, obj: {})  # no prepare: nothing to load
    page.register(
        "top", "c.html", lambda context, obj: {}, prepare=lambda rows: calls.append("top")
    )
    rows = iter([1, 2, 3])
    page.prepare("row", rows)
    assert calls == [[1, 2, 3]]  # once, with the rows as a list (a generator is read once)
    page.prepare("row", [])
    assert calls == [[1, 2, 3]]  # an empty list loads nothing


def test_registering_again_keeps_one_prepare():
    page = PageSections("list page", slots=["row"])
    calls = []
    page.register("row", "a.html", lambda context, obj: {}, prepare=lambda rows: calls.append(1))
    page.register("row", "a.html", lambda context, obj: {}, prepare=lambda rows: calls.append(2))
    page.prepare("row", ["x"])
    assert calls == [2]
