"""The committee page's sections that higher apps fill (core.sections).

Slots: ``top`` (under the follow button, for the board's own tools) and ``main`` (the page's
left column, after the board). Proposals registers its board inbox link and its latest proposals
in ``ProposalsConfig.ready``; dugnads and agreements will add theirs the same way.
"""

from core.sections import PageSections

committee_page = PageSections("committee page", slots=["top", "main"])
# Min side → My committees: what a higher app shows a person about their own committees (the
# agreements' workspace); the section's object is the signed-in person.
my_committees_page = PageSections("my committees page", slots=["main"])
