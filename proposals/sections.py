"""The proposals' pages that higher apps add to (core.sections), without proposals naming them.

- ``inbox_row``, slot ``actions``: the committee inbox's "Next step" cell of each proposal (a
  wish for a joint dugnad gets its "make a dugnad" link there). The inbox's view calls
  ``inbox_row.prepare("actions", rows)`` once, so a section loads what its rows show in one
  query, not one per row.
- ``proposal_page``, slot ``top``: under the proposal page's own buttons (what became of it).

Rendered by ``{% proposal_inbox_row_sections %}`` and ``{% proposal_page_sections %}``
(``proposal_tags``); a higher app registers in its ``AppConfig.ready``.
"""

from core.sections import PageSections

inbox_row = PageSections("inbox row", slots=["actions"])
proposal_page = PageSections("proposal page", slots=["top"])
