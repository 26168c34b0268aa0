"""Every read of proposals that views, tasks, the admin and other apps need.

List pages fetch a page of proposals with their committee in one query; detail pages fetch
timeline, dialogue and attachments with one query each, however long the case.
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from committees import selectors as committee_selectors
from committees import staff as committee_staff

from .models import (
    COMMITTEE_STATES,
    DIALOGUE_STATES,
    OPEN_STATES,
    Attachment,
    Follow,
    Message,
    Party,
    Proposal,
    ProposalEvent,
    State,
    Support,
)
from .permissions import can_view_proposal

User = get_user_model()

SORTS = {
    "newest": ["-submitted_at", "-pk"],
    "supported": ["-supports_count", "-submitted_at", "-pk"],
    "deadline": [F("next_due").asc(nulls_last=True), "-submitted_at", "-pk"],
}
SEARCH_CONFIG = "norwegian"
REFERENCE_PATTERN = re.compile(r"[A-Za-z]{2,10}-\d{4}-\d{4,}")


def _search(qs: QuerySet, text: str) -> QuerySet:
    """PostgreSQL full-text search in Norwegian (stemming: «flagget» finds «flagg»), ranked;
    on SQLite, every word must appear somewhere."""
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
            + SearchVector("body", "location_text", "task", weight="C", config=SEARCH_CONFIG)
        )
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return qs.annotate(search_rank=SearchRank(vector, query)).filter(search_rank__gt=0)
    for word in text.split()[:10]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(location_text__icontains=word)
        )
    return qs


def proposal_list(
    *,
    committee_slug: str = "",
    category: str = "",
    kind: str = "",
    state: str = "",
    text: str = "",
    sort: str = "newest",
) -> QuerySet[Proposal]:
    """Published proposals for the public list, filtered, searched and sorted."""
    qs = Proposal.objects.published().select_related("committee")
    if committee_slug:
        qs = qs.filter(
            Q(committee__slug=committee_slug) | Q(committee__parent__slug=committee_slug)
        )
    if category:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(state__in=sorted(OPEN_STATES))
    elif state:
        qs = qs.filter(state=state)
    text = text.strip()
    if REFERENCE_PATTERN.fullmatch(text):
        # Someone who types a case number wants that case, not words like it.
        return qs.filter(reference__iexact=text)
    if text:
        qs = _search(qs, text)
        if connection.vendor == "postgresql" and sort == "relevance":
            return qs.order_by("-search_rank", "-pk")
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


def proposal_get(*, pk: int) -> Proposal:
    return Proposal.objects.select_related("committee", "author").get(pk=pk)


def proposal_get_by_reference(*, reference: str) -> Proposal:
    return Proposal.objects.select_related("committee", "author").get(reference=reference)


def proposal_get_for_page(*, reference: str, user, internal: bool = False) -> Proposal:
    """One proposal with everything its page shows. ``internal`` includes staff-only notes."""
    events = ProposalEvent.objects.select_related("actor").order_by("created_at", "pk")
    if not internal:
        events = events.filter(is_internal=False)
    qs = Proposal.objects.select_related(
        "committee", "committee__parent", "author", "department", "handler", "answer"
    ).prefetch_related(
        Prefetch("events", queryset=events),
        Prefetch("messages", queryset=Message.objects.select_related("sender")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "pk")),
    )
    if user.is_authenticated:
        qs = qs.annotate(
            supported_by_me=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)),
            followed_by_me=Exists(Follow.objects.filter(proposal=OuterRef("pk"), user=user)),
        )
    return qs.get(reference=reference)


def draft_get_for_author(*, pk: int, user) -> Proposal:
    return (
        Proposal.objects.select_related("committee")
        .prefetch_related("attachments")
        .get(pk=pk, author=user, state=State.DRAFT)
    )


def proposal_submitted_by_author(*, pk: int, user) -> Proposal | None:
    """The author's own proposal ``pk`` if it is no longer a draft (else None)."""
    return Proposal.objects.published().filter(pk=pk, author=user).first()


def proposal_is_supported_by(*, proposal: Proposal, user) -> bool:
    return user.is_authenticated and Support.objects.filter(proposal=proposal, user=user).exists()


def proposal_is_followed_by(*, proposal: Proposal, user) -> bool:
    return user.is_authenticated and Follow.objects.filter(proposal=proposal, user=user).exists()


def proposal_list_for_author(*, user) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(author=user)
        .select_related("committee")
        .order_by(F("submitted_at").desc(nulls_first=True), "-created_at")
    )


def proposal_list_followed(*, user) -> QuerySet[Proposal]:
    return (
        Proposal.objects.published()
        .filter(follows__user=user)
        .exclude(author=user)
        .select_related("committee")
        .order_by("-submitted_at")
    )


@dataclass
class Inbox:
    awaiting: QuerySet  # submitted or being considered by the committee
    questions: QuerySet  # the municipality asked for information
    open_requests: QuerySet  # messages from the municipality waiting for the committee


def committee_inbox(*, committee) -> Inbox:
    """What waits for a committee's board, most urgent first."""
    base = Proposal.objects.filter(committee=committee).select_related("committee", "author")
    return Inbox(
        awaiting=base.filter(state__in=list(COMMITTEE_STATES)).order_by(
            F("committee_due").asc(nulls_last=True), "pk"
        ),
        questions=base.filter(state=State.INFO_REQUESTED).order_by("info_due", "pk"),
        open_requests=Message.objects.filter(
            proposal__committee=committee,
            party="municipality",
            answer_by__isnull=False,
            answered_at__isnull=True,
            # Where the committee can answer in the dialogue (open from when the municipality has
            # the case until it is done); a question under "info requested" is under ``questions``.
            proposal__state__in=sorted(DIALOGUE_STATES - {State.INFO_REQUESTED}),
        )
        .select_related("proposal")
        .order_by("answer_by", "pk"),
    )


# What waits for a committee's board: to consider, or the municipality's question to answer.
INBOX_WAITING_STATES = sorted(COMMITTEE_STATES | {State.INFO_REQUESTED})


def committee_inbox_waiting_count(*, committee) -> int:
    """How many proposals wait for the committee's board (one query)."""
    return Proposal.objects.filter(committee=committee, state__in=INBOX_WAITING_STATES).count()


def committee_recent_proposals(*, committee, limit: int = 5) -> list[Proposal]:
    return list(
        Proposal.objects.published()
        .filter(Q(committee=committee) | Q(committee__parent=committee))
        .select_related("committee")
        .order_by("-submitted_at")[:limit]
    )


def proposal_counts_by_state(*, committee) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Proposal.objects.published()
        .filter(committee=committee)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["state"]: row["n"] for row in rows}


def committee_filter_choices() -> list[tuple[str, str]]:
    """(slug, name) of every committee, for the public list's filter (one query)."""
    from committees.models import Committee

    return list(Committee.objects.order_by("name").values_list("slug", "name"))


def attachment_get_for_download(*, pk: int) -> Attachment:
    return Attachment.objects.select_related("proposal").get(pk=pk)


# --- Who hears of a case ------------------------------------------------------------------------


def _case_handlers() -> list:
    return list(committee_staff.case_handlers())


def municipal_recipients(proposal: Proposal) -> list:
    """Who at the municipality hears about a case: its handler, else its department, else every
    case handler (a forwarded case is never left with nobody told)."""
    if proposal.handler_id and proposal.handler.is_active:
        return [proposal.handler]
    if proposal.department_id:
        staff = committee_selectors.department_staff_users(department=proposal.department)
        if staff:
            return staff
    return _case_handlers()


def escalation_recipients(proposal: Proposal) -> list:
    """An overdue municipal deadline goes to the whole department (and the handler)."""
    people = []
    if proposal.handler_id:
        people.append(proposal.handler)
    if proposal.department_id:
        people += committee_selectors.department_staff_users(department=proposal.department)
    return people or _case_handlers()


def committee_recipients(proposal: Proposal) -> list:
    return committee_selectors.committee_board_users(committee=proposal.committee)


def follower_recipients(proposal: Proposal) -> list:
    return [f.user for f in proposal.follows.select_related("user")]


def committee_follower_recipients(proposal: Proposal) -> list:
    """Who hears that ``proposal`` is new in its committee: the committee's followers (the
    committees app's seam), and only once anyone may see the proposal (``can_view_proposal``
    for a visitor who is not logged in): a draft is news to nobody."""
    if not can_view_proposal(AnonymousUser(), proposal):
        return []
    return committee_selectors.committee_follower_users(committee=proposal.committee)


def party_recipients(proposal: Proposal, party: str) -> list:
    if party == Party.COMMITTEE:
        return committee_recipients(proposal)
    return municipal_recipients(proposal)
