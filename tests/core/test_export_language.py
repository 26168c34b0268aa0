"""A streamed file is made in the language of its request, and never touches the language of
whatever runs on the thread later (a download read partly, then closed or collected)."""

import gc

from django.utils import translation

from core.export import Column, csv_lines, in_language


def test_a_partly_read_file_closed_later_leaves_the_threads_language_alone():
    with translation.override("en"):
        lines = csv_lines([1, 2], [Column("n", lambda n: n)])
        next(lines)
    translation.activate("nb")
    lines.close()
    del lines
    gc.collect()
    assert translation.get_language() == "nb"


def test_each_piece_is_made_in_the_requests_language():
    def pieces():
        yield translation.get_language()
        yield translation.get_language()

    translation.activate("nb")
    made = in_language("en", pieces())
    assert next(made) == "en"
    assert translation.get_language() == "nb"
    assert next(made) == "en"
