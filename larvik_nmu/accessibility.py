"""The accessibility statement's facts, as data (the page is templates/pages/accessibility.html).

Public bodies in Norway publish a statement (*tilgjengelighetserklæring*) in the form of Digdir's
uustatus.no: who is responsible, the conformance status, what is not accessible and which WCAG
success criteria it breaks, what that means for the user and what is done about it, how the
site was tested, where to give feedback and how soon an answer comes, the supervisory authority
and the right to complain, and the statement's dates. See
https://www.uutilsynet.no/tilgjengelighetserklaering/om-tilgjengelegheitserklaering/1128.

Keep ``DEVIATIONS`` true: when something is fixed, remove its entry and move ``LAST_REVIEWED``;
when an audit finds something that is not fixed at once, add it. The status follows from the
list (``conformance``), so the page cannot claim "no known breaches" while one is listed.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The standard the regulation (forskrift om universell utforming av IKT-løsninger) requires.
STANDARD = "WCAG 2.1"
LEVEL = "AA"

CREATED = datetime.date(2026, 12, 1)
LAST_REVIEWED = datetime.date(2026, 12, 1)
# The last manual audit (keyboard, zoom, text spacing, forced colours, accessibility tree).
LAST_TESTED = datetime.date(2026, 12, 1)

# How soon someone who writes to us about accessibility gets an answer.
ANSWER_WITHIN_WEEKS = 3

SUPERVISOR_URL = "https://www.uutilsynet.no/"
COMPLAINTS_URL = "https://www.diskrimineringsnemnda.no/"
# The statement as registered in uustatus.no, once the municipality has registered it there.
UUSTATUS_URL = ""

# The Norwegian names of the WCAG 2.1 success criteria (Uu-tilsynet's translation), by number.
CRITERIA = {
    "1.1.1": _("Non-text content"),
    "1.3.1": _("Info and relationships"),
    "3.1.2": _("Language of parts"),
}


@dataclass(frozen=True)
class Deviation:
    """Something on the site that does not meet the requirements."""

    title: Promise
    criteria: tuple[str, ...]  # keys of CRITERIA
    what: Promise  # what is not accessible
    consequence: Promise  # what it means for the user
    remedy: Promise  # what we do about it, and the alternative meanwhile

    def criteria_names(self) -> list[tuple[str, Promise]]:
        return [(number, CRITERIA[number]) for number in self.criteria]


DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        title=_("Attachments uploaded by residents"),
        criteria=("1.1.1", "1.3.1"),
        what=_(
            "Proposals can have attachments (PDF files, images and documents) that residents "
            "upload themselves. We do not check them for accessibility: images often have no "
            "text alternative, and PDF files often have no headings or reading order a screen "
            "reader can use."
        ),
        consequence=_(
            "If you use a screen reader or other assistive technology, you may not be able to "
            "read an attachment."
        ),
        remedy=_(
            "The proposal itself must say what it is about in its text, so the attachment only "
            "adds to it. Ask us and we will get the content to you in another form."
        ),
    ),
    Deviation(
        title=_("Text in other languages than Norwegian"),
        criteria=("3.1.2",),
        what=_(
            "What residents and committees write is marked as Norwegian Bokmål, because the "
            "portal does not ask which language it is written in. Text written in English, "
            "Nynorsk or Sámi is marked wrongly."
        ),
        consequence=_(
            "A screen reader may read such text with Norwegian pronunciation, which can make it "
            "hard to understand."
        ),
        remedy=_(
            "We plan to let the person who writes choose the language of the text. Until then, "
            "ask us if you need a text read out or explained."
        ),
    ),
)


def conformance() -> str:
    """ "partial" while anything is listed as not accessible, else "full"."""
    return "partial" if DEVIATIONS else "full"


def statement_context() -> dict:
    return {
        "standard": STANDARD,
        "level": LEVEL,
        "conformance": conformance(),
        "deviations": DEVIATIONS,
        "created": CREATED,
        "last_reviewed": LAST_REVIEWED,
        "last_tested": LAST_TESTED,
        "answer_within_weeks": ANSWER_WITHIN_WEEKS,
        "supervisor_url": SUPERVISOR_URL,
        "complaints_url": COMPLAINTS_URL,
        "uustatus_url": UUSTATUS_URL,
    }
