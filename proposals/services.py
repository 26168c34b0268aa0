"""Every write on proposals: drafts, the one transition service, supports, following, dialogue,
official answers, assignment and the daily deadline follow-up.

Each function is one transaction, validates with ``full_clean()`` and raises
``django.core.exceptions.ValidationError`` with a user-facing message when a rule says no.
Notifications are written in the same transaction through ``notifications.services.notify``.
"""

import datetime
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees import selectors as committee_selectors
from notifications.services import notify

from . import deadlines
from . import notifications as kinds
from .models import (
    COMMITTEE_STATES,
    DECIDED_STATES,
    DIALOGUE_STATES,
    MUNICIPAL_STATES,
    OUTCOMES,
    TRANSITIONS,
    AnswerTemplate,
    Attachment,
    EventKind,
    Follow,
    Kind,
    Message,
    OfficialAnswer,
    Party,
    Proposal,
    ProposalEvent,
    ReferenceCounter,
    State,
    Support,
)
from .permissions import (
    is_dialogue_event,
    is_municipal_staff,
    message_party,
    parties_of,
    reply_answers_question,
)

User = get_user_model()

DRAFT_FIELDS = [
    "committee",
    "title",
    "summary",
    "body",
    "kind",
    "category",
    "location_text",
    "latitude",
    "longitude",
    "task",
    "season",
    "volunteer_hours_per_year",
    "compensation_per_year",
    "municipality_provides",
]
TAKEOVER_FIELDS = ["task", "season", "volunteer_hours_per_year", "compensation_per_year"]


# --- Recipients -----------------------------------------------------------------------------------


def _case_handlers() -> list:
    return list(
        User.objects.filter(
            is_active=True, is_staff=True, groups__name=settings.PROPOSALS["CASE_HANDLER_GROUP"]
        ).distinct()
    )


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


def _party_recipients(proposal: Proposal, party: str) -> list:
    if party == Party.COMMITTEE:
        return committee_recipients(proposal)
    return municipal_recipients(proposal)


def _without(people, actor) -> list:
    return [p for p in people if actor is None or p.pk != actor.pk]


# --- Drafts ---------------------------------------------------------------------------------------


NULLABLE_FIELDS = {"latitude", "longitude", "volunteer_hours_per_year", "compensation_per_year"}


def _clear_other_kind_fields(proposal: Proposal) -> None:
    """Take-over details belong to take-over proposals only."""
    if proposal.kind != Kind.TAKEOVER:
        for name in [*TAKEOVER_FIELDS, "municipality_provides"]:
            setattr(proposal, name, None if name in NULLABLE_FIELDS else "")


def _required_for_submit(proposal: Proposal) -> dict:
    errors = {}
    if proposal.kind == Kind.TAKEOVER:
        labels = {
            "task": _("Say which task the committee wants to take over."),
            "season": _("Say when or how often the task is done."),
            "volunteer_hours_per_year": _("Estimate the volunteer hours per year."),
            "compensation_per_year": _("Say what compensation the committee asks (0 if none)."),
        }
        for name, text in labels.items():
            if getattr(proposal, name) in (None, ""):
                errors[name] = text
        if not proposal.location_text:
            errors["location_text"] = _("Say where the task is done.")
    return errors


def _apply_fields(proposal: Proposal, fields: dict) -> None:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Not draft fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(
            proposal,
            name,
            "" if value is None and name not in NULLABLE_FIELDS | {"committee"} else value,
        )
    _clear_other_kind_fields(proposal)


@transaction.atomic
def proposal_create_draft(*, author, **fields) -> Proposal:
    if not (author.is_authenticated and author.is_active):
        raise ValidationError(_("You must be logged in to write a proposal."))
    proposal = Proposal(author=author, state=State.DRAFT)
    _apply_fields(proposal, fields)
    proposal.full_clean(exclude=["reference"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_update_draft(*, proposal: Proposal, actor, **fields) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Only the author can change a proposal, and only as a draft."))
    _apply_fields(proposal, fields)
    proposal.full_clean(exclude=["reference"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_delete_draft(*, proposal: Proposal, actor) -> None:
    # Locked and read again: a draft submitted meanwhile (another tab) is a case, not a draft.
    current = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if current is None:
        return  # deleted already (a second click)
    proposal = current
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Only the author can delete a draft."))
    for attachment in proposal.attachments.all():
        _delete_file_on_commit(attachment)
    proposal.delete()


# --- Attachments ----------------------------------------------------------------------------------

# Allowed file types: the extension and the first bytes must both say the same thing.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", [b"%PDF-"]),
    ".png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    ".jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
}


def attachment_problems(*, uploaded_file, existing_count: int) -> list[str]:
    """Why a file cannot be attached (empty when it can). Also used by the form."""
    limits = settings.PROPOSALS
    problems = []
    name = Path(uploaded_file.name or "").name
    extension = Path(name).suffix.lower()
    if existing_count >= limits["ATTACHMENT_MAX_COUNT"]:
        problems.append(
            _("A proposal can have at most %(n)d attachments.")
            % {"n": limits["ATTACHMENT_MAX_COUNT"]}
        )
    if uploaded_file.size > limits["ATTACHMENT_MAX_BYTES"]:
        problems.append(
            _("“%(name)s” is too large. The limit is %(mb)d MB.")
            % {"name": name, "mb": limits["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)}
        )
    if uploaded_file.size == 0:
        problems.append(_("“%(name)s” is empty.") % {"name": name})
    kind = ATTACHMENT_TYPES.get(extension)
    if kind is None:
        problems.append(_("“%(name)s” is not a PDF, PNG or JPEG file.") % {"name": name})
    else:
        uploaded_file.seek(0)
        head = uploaded_file.read(16)
        uploaded_file.seek(0)
        if not any(head.startswith(magic) for magic in kind[1]):
            problems.append(
                _("“%(name)s” does not look like a %(type)s file.")
                % {"name": name, "type": extension.lstrip(".").upper()}
            )
    if len(name) > 200:
        problems.append(_("The file name is too long (at most 200 characters)."))
    return problems


@transaction.atomic
def attachment_add(*, proposal: Proposal, actor, uploaded_file) -> Attachment:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Attachments can only be added to your own draft."))
    problems = attachment_problems(
        uploaded_file=uploaded_file, existing_count=proposal.attachments.count()
    )
    if problems:
        raise ValidationError(problems)
    name = Path(uploaded_file.name).name
    extension = Path(name).suffix.lower()
    attachment = Attachment(
        proposal=proposal,
        token=secrets.token_hex(16),
        extension=extension,
        original_name=name,
        content_type=ATTACHMENT_TYPES[extension][0],
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    attachment.file.save(attachment_path_name(attachment), uploaded_file, save=False)
    try:
        attachment.full_clean(exclude=["file"])
        attachment.save()
    except Exception:
        # Nothing in the database points at the file: do not leave it behind.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_path_name(attachment: Attachment) -> str:
    return f"{attachment.token}{attachment.extension}"


def _delete_file_on_commit(attachment: Attachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    if proposal.state != State.DRAFT or proposal.author_id != actor.pk:
        raise ValidationError(_("Attachments can only be removed from your own draft."))
    _delete_file_on_commit(attachment)
    attachment.delete()


# --- References and deadlines ---------------------------------------------------------------------


def _next_reference(year: int) -> str:
    """NMU-2026-0001: one counter row per year, incremented atomically (safe in parallel)."""
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 (our table name)
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        number = cursor.fetchone()[0]
    return f"{settings.PROPOSALS['REFERENCE_PREFIX']}-{year}-{number:04d}"


def _refresh_next_due(proposal: Proposal) -> None:
    running = deadlines.proposal_deadlines(
        proposal, open_requests=deadlines.open_requests_for(proposal)
    )
    proposal.next_due = running[0].due if running else None


# --- The one transition service -------------------------------------------------------------------


def _record(
    proposal,
    *,
    actor,
    kind=EventKind.TRANSITION,
    party="",
    from_state="",
    to_state="",
    message="",
    internal=False,
) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=actor,
        actor_party=party,
        from_state=from_state,
        to_state=to_state,
        message=message,
        is_internal=internal,
    )


def _acting_party(parties: set, allowed: frozenset) -> str:
    for party in (Party.MUNICIPALITY, Party.COMMITTEE, Party.AUTHOR):
        if party in parties and party in allowed:
            return party
    return ""


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    actor,
    to_state: str,
    message: str = "",
    due: datetime.date | None = None,
    answer: OfficialAnswer | None = None,
) -> Proposal:
    """Move a proposal to ``to_state`` if the table allows it and ``actor`` is a party that may.

    Sets the clocks the new state starts, records the timeline entry and tells the people who
    should know. ``due`` sets the committee's deadline when information is requested (default
    from settings). Decisions need the official ``answer`` and come through ``answer_publish``.
    """
    proposal = Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
    from_state = proposal.state
    transition = TRANSITIONS.get((from_state, to_state))
    if transition is None:
        raise ValidationError(
            _("A proposal cannot go from “%(old)s” to “%(new)s”.")
            % {"old": State(from_state).label, "new": State(to_state).label}
        )
    parties = parties_of(actor, proposal) if actor is not None else set()
    party = _acting_party(parties, transition.by)
    if not party:
        raise ValidationError(_("You are not allowed to make this change to the proposal."))
    message = (message or "").strip()
    if to_state in OUTCOMES:
        if answer is None or answer.outcome != to_state or answer.proposal_id != proposal.pk:
            raise ValidationError(_("A decision needs a published official answer."))
    elif transition.message_required and not message:
        raise ValidationError(
            {"message": str(MESSAGE_REQUIRED.get(to_state, _("Write a message.")))}
        )
    if len(message) > 5000:
        raise ValidationError({"message": _("The message can be at most 5,000 characters.")})

    now = timezone.now()
    today = timezone.localdate()
    if to_state == State.SUBMITTED:
        errors = _required_for_submit(proposal)
        if errors:
            raise ValidationError(errors)
        proposal.reference = proposal.reference or _next_reference(today.year)
        proposal.submitted_at = now
        proposal.committee_due = deadlines.committee_due(today)
    elif to_state == State.FORWARDED:
        proposal.forwarded_at = now
        proposal.preliminary_due = deadlines.preliminary_due(today)
        if not proposal.is_citizen_proposal:
            proposal.decision_due = deadlines.decision_due(today)
    elif to_state == State.INFO_REQUESTED:
        if due is not None and due < today:
            raise ValidationError({"due": _("The deadline cannot be in the past.")})
        proposal.info_due = due or deadlines.info_due(today)
    elif to_state in DECIDED_STATES:
        proposal.decided_at = now
    elif to_state == State.COMPLETED:
        proposal.completed_at = now
    if (
        party == Party.MUNICIPALITY
        and proposal.first_response_at is None
        and to_state != State.FORWARDED
    ):
        proposal.first_response_at = now

    proposal.state = to_state
    _refresh_next_due(proposal)
    proposal.full_clean()
    proposal.save()
    event = _record(
        proposal,
        actor=actor,
        party=party,
        from_state=from_state,
        to_state=to_state,
        message=message,
    )
    if to_state == State.INFO_REQUESTED:
        # The question is also a line of the dialogue; its deadline is ``info_due``.
        Message.objects.create(
            proposal=proposal, sender=actor, party=Party.MUNICIPALITY, body=message
        )
    elif from_state == State.INFO_REQUESTED and to_state == State.IN_REVIEW:
        _answer_open_requests(proposal, answering_party=Party.COMMITTEE, at=now)
        Message.objects.create(proposal=proposal, sender=actor, party=Party.COMMITTEE, body=message)
        _refresh_next_due(proposal)
        proposal.save(update_fields=["next_due"])
    if to_state == State.SUBMITTED:
        Follow.objects.get_or_create(proposal=proposal, user=proposal.author)
    _notify_transition(proposal, event=event, actor=actor)
    return proposal


MESSAGE_REQUIRED = {
    State.DECLINED: gettext_lazy("Write the reason the committee declines the proposal."),
    State.INFO_REQUESTED: gettext_lazy("Write the question to the committee."),
    State.IN_REVIEW: gettext_lazy("Write the committee's answer to the municipality."),
}


def _notify_transition(proposal: Proposal, *, event: ProposalEvent, actor) -> None:
    to_state = event.to_state
    context = {"proposal": proposal, "event": event}
    key = f"proposal:{proposal.pk}:event:{event.pk}"
    if to_state == State.SUBMITTED:
        notify(
            recipients=_without(committee_recipients(proposal), actor),
            kind=kinds.NEW_IN_INBOX,
            context=context,
            target=proposal,
            dedupe_key=key,
        )
        return
    if to_state == State.FORWARDED:
        notify(
            recipients=_without(municipal_recipients(proposal), actor),
            kind=kinds.NEW_CASE,
            context=context,
            target=proposal,
            dedupe_key=key + ":case",
        )
    elif to_state == State.INFO_REQUESTED:
        notify(
            recipients=_without(committee_recipients(proposal), actor),
            kind=kinds.INFO_REQUESTED,
            context=context,
            target=proposal,
            dedupe_key=key + ":question",
        )
    elif to_state == State.WITHDRAWN:
        # Whoever was working on the case hears that it is withdrawn, follower or not.
        people = committee_recipients(proposal)
        if event.from_state in MUNICIPAL_STATES:
            people += municipal_recipients(proposal)
        following = {user.pk for user in follower_recipients(proposal)}  # told below
        notify(
            recipients=[p for p in _without(people, actor) if p.pk not in following],
            kind=kinds.STATUS_CHANGED,
            context=context,
            target=proposal,
            dedupe_key=key + ":parties",
        )
    elif event.from_state == State.INFO_REQUESTED and to_state == State.IN_REVIEW:
        notify(
            recipients=_without(municipal_recipients(proposal), actor),
            kind=kinds.MESSAGE,
            context={**context, "party": Party.COMMITTEE, "body": event.message},
            target=proposal,
            dedupe_key=key + ":answer",
        )
    if to_state in DECIDED_STATES:
        notify(
            # The author is told of the answer even after they stopped following the proposal.
            recipients=_without(
                [proposal.author] + follower_recipients(proposal) + committee_recipients(proposal),
                actor,
            ),
            kind=kinds.ANSWER_PUBLISHED,
            context=context,
            target=proposal,
            dedupe_key=key,
        )
        return
    notify(
        recipients=_without(follower_recipients(proposal), actor),
        kind=kinds.STATUS_CHANGED,
        # Anyone may follow: a line of the dialogue (a question, its answer) is not theirs.
        context={**context, "message": "" if is_dialogue_event(event) else event.message},
        target=proposal,
        dedupe_key=key,
    )


def proposal_submit(*, proposal: Proposal, actor) -> Proposal:
    return proposal_transition(proposal=proposal, actor=actor, to_state=State.SUBMITTED)


# --- Supports and the § 12-1 threshold ------------------------------------------------------------


def _support_change(*, proposal: Proposal, user, add: bool) -> Proposal:
    if not (user.is_authenticated and user.is_active):
        raise ValidationError(_("You must be logged in to support a proposal."))
    # The row lock serialises one proposal's supports, so the count and the threshold are exact.
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state not in COMMITTEE_STATES | MUNICIPAL_STATES:
        raise ValidationError(_("This proposal is not collecting supports any more."))
    if add:
        Support.objects.bulk_create([Support(proposal=proposal, user=user)], ignore_conflicts=True)
    else:
        Support.objects.filter(proposal=proposal, user=user).delete()
    proposal.supports_count = Support.objects.filter(proposal=proposal).count()
    fields = ["supports_count"]
    if (
        add
        and proposal.citizen_proposal_at is None
        and proposal.supports_count >= deadlines.citizen_proposal_threshold()
    ):
        _become_citizen_proposal(proposal)
        fields += ["citizen_proposal_at", "decision_due", "next_due", "kind"]
    proposal.save(update_fields=[*fields, "updated_at"])
    return proposal


def _become_citizen_proposal(proposal: Proposal) -> None:
    """§ 12-1: enough signatures make it an innbyggerforslag, to be decided within six months."""
    now = timezone.now()
    proposal.citizen_proposal_at = now
    proposal.kind = proposal.kind if proposal.kind == Kind.TAKEOVER else Kind.CITIZEN
    proposal.decision_due = deadlines.citizen_proposal_due(timezone.localdate())
    _refresh_next_due(proposal)
    event = _record(
        proposal,
        actor=None,
        kind=EventKind.CITIZEN_PROPOSAL,
        message=_("%(n)d residents support the proposal.") % {"n": proposal.supports_count},
    )
    notify(
        recipients=municipal_recipients(proposal)
        + committee_recipients(proposal)
        + follower_recipients(proposal),
        kind=kinds.CITIZEN_PROPOSAL,
        context={"proposal": proposal, "event": event},
        target=proposal,
        dedupe_key=f"proposal:{proposal.pk}:citizen",
    )


@transaction.atomic
def proposal_support(*, proposal: Proposal, user) -> Proposal:
    """Support a proposal; supporting twice (even in parallel) leaves one support."""
    return _support_change(proposal=proposal, user=user, add=True)


@transaction.atomic
def proposal_unsupport(*, proposal: Proposal, user) -> Proposal:
    return _support_change(proposal=proposal, user=user, add=False)


# --- Following ------------------------------------------------------------------------------------


@transaction.atomic
def proposal_follow(*, proposal: Proposal, user) -> Follow:
    if proposal.state == State.DRAFT or not user.is_authenticated:
        raise ValidationError(_("You cannot follow this proposal."))
    Follow.objects.bulk_create([Follow(proposal=proposal, user=user)], ignore_conflicts=True)
    return Follow.objects.get(proposal=proposal, user=user)


@transaction.atomic
def proposal_unfollow(*, proposal: Proposal, user) -> None:
    Follow.objects.filter(proposal=proposal, user=user).delete()


# --- Dialogue -------------------------------------------------------------------------------------


def _answer_open_requests(proposal: Proposal, *, answering_party: str, at) -> None:
    asking = Party.MUNICIPALITY if answering_party == Party.COMMITTEE else Party.COMMITTEE
    Message.objects.filter(
        proposal=proposal, party=asking, answer_by__isnull=False, answered_at__isnull=True
    ).update(answered_at=at)


@transaction.atomic
def message_send(
    *, proposal: Proposal, actor, body: str, answer_by: datetime.date | None = None
) -> Message:
    """A message in the dialogue. It answers the other side's open requests; ``answer_by`` asks
    the other side for an answer by that day."""
    proposal = Proposal.objects.select_for_update().select_related("committee").get(pk=proposal.pk)
    if not parties_of(actor, proposal) - {Party.AUTHOR}:
        raise ValidationError(_("Only the committee and the municipality write in this dialogue."))
    party = message_party(actor, proposal)
    if party is None:
        raise ValidationError(
            _(
                "Messages can be written once the proposal is with the municipality, until it is done."
            )
        )
    today = timezone.localdate()
    if answer_by is not None and answer_by < today:
        raise ValidationError({"answer_by": _("The date cannot be in the past.")})
    if reply_answers_question(proposal, party):
        # The committee's reply is its answer to the question: the case goes back to review.
        if len((body or "").strip()) > 5000:
            raise ValidationError({"body": _("The message can be at most 5,000 characters.")})
        proposal_transition(proposal=proposal, actor=actor, to_state=State.IN_REVIEW, message=body)
        return Message.objects.filter(proposal=proposal, party=Party.COMMITTEE).latest("pk")
    now = timezone.now()
    message = Message(
        proposal=proposal,
        sender=actor,
        party=party,
        body=(body or "").strip(),
        answer_by=answer_by,
        created_at=now,
    )
    message.full_clean()
    _answer_open_requests(proposal, answering_party=party, at=now)
    message.save()
    if (
        party == Party.MUNICIPALITY
        and proposal.first_response_at is None
        and proposal.state in MUNICIPAL_STATES
    ):
        proposal.first_response_at = now
    _refresh_next_due(proposal)
    proposal.save(update_fields=["next_due", "first_response_at", "updated_at"])
    other = Party.MUNICIPALITY if party == Party.COMMITTEE else Party.COMMITTEE
    notify(
        recipients=_without(_party_recipients(proposal, other) + [proposal.author], actor),
        kind=kinds.MESSAGE,
        context={
            "proposal": proposal,
            "party": party,
            "body": message.body,
            "answer_by": answer_by,
        },
        target=proposal,
        dedupe_key=f"proposal:{proposal.pk}:message:{message.pk}",
    )
    return message


@transaction.atomic
def internal_note_add(*, proposal: Proposal, actor, text: str) -> ProposalEvent:
    if not is_municipal_staff(actor):
        raise ValidationError(_("Only municipal staff write internal notes."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"message": _("Write the note.")})
    return _record(
        proposal,
        actor=actor,
        kind=EventKind.NOTE,
        party=Party.MUNICIPALITY,
        message=text,
        internal=True,
    )


# --- Assignment -----------------------------------------------------------------------------------


@transaction.atomic
def proposal_assign(*, proposal: Proposal, actor, handler=None, department=None) -> Proposal:
    """Give the case to a department and/or a case handler; the handler hears at once."""
    if not is_municipal_staff(actor):
        raise ValidationError(_("Only municipal staff assign cases."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state == State.DRAFT:
        raise ValidationError(_("A draft cannot be assigned."))
    if handler is not None and not is_municipal_staff(handler):
        raise ValidationError({"handler": _("The case handler must be a municipal case handler.")})
    if department is None and handler is not None:
        department = getattr(getattr(handler, "department_staff", None), "department", None)
    changed_handler = handler is not None and handler.pk != proposal.handler_id
    if department is not None:
        proposal.department = department
    if handler is not None:
        proposal.handler = handler
    proposal.save(update_fields=["department", "handler", "updated_at"])
    # The timeline is public: the handler by name only, never by e-mail address (str(user)).
    names = ", ".join(
        name
        for name in (
            proposal.department.name if proposal.department else "",
            proposal.handler.full_name if proposal.handler else "",
        )
        if name
    )
    event = _record(
        proposal, actor=actor, kind=EventKind.ASSIGNED, party=Party.MUNICIPALITY, message=names
    )
    if changed_handler and handler.pk != actor.pk:
        notify(
            recipients=[handler],
            kind=kinds.ASSIGNED,
            context={"proposal": proposal, "event": event, "actor": actor},
            target=proposal,
            dedupe_key=f"proposal:{proposal.pk}:assigned:{event.pk}",
        )
    return proposal


# --- Official answers -----------------------------------------------------------------------------


def answer_template_fill(*, template: AnswerTemplate, proposal: Proposal) -> str:
    """Fill a template's ``{title}``, ``{reference}`` and ``{committee}``; other braces stay."""
    values = {
        "{title}": proposal.title,
        "{reference}": proposal.reference or "",
        "{committee}": proposal.committee.name,
    }
    text = template.body
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


# Text a template leaves to be written for each case, like "[skriv hvilke deler og hvorfor]".
FILL_IN_MARKER = re.compile(r"\[[^\]]+\]")


def answer_check_filled_in(*, body: str, proposal: Proposal) -> None:
    """An answer is not published with text in [brackets] left to fill in. Brackets in the
    proposal's own title or committee name (filled in from the template) are the resident's."""
    text = body or ""
    for own in (proposal.title, proposal.committee.name):
        text = text.replace(own, "") if own else text
    if FILL_IN_MARKER.search(text):
        raise ValidationError({"body": _("The answer still has text in [brackets] to fill in.")})


@transaction.atomic
def answer_save_draft(*, proposal: Proposal, actor, outcome: str, body: str) -> OfficialAnswer:
    if not is_municipal_staff(actor):
        raise ValidationError(_("Only municipal staff write official answers."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state not in MUNICIPAL_STATES:
        raise ValidationError(_("Only a case at the municipality can be answered."))
    answer = OfficialAnswer.objects.filter(proposal=proposal).first() or OfficialAnswer(
        proposal=proposal
    )
    if answer.is_published:
        raise ValidationError(_("The answer is already published."))
    answer.outcome = outcome
    answer.body = (body or "").strip()
    answer.author = actor
    answer.full_clean()
    answer.save()
    return answer


@transaction.atomic
def answer_publish(*, proposal: Proposal, actor) -> OfficialAnswer:
    """Publish the draft answer: the decision is made, the author and followers are told."""
    # The case first, then its answer: the order answer_save_draft and the transition lock in,
    # so a publish and a save of the same answer wait for each other instead of deadlocking.
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    answer = OfficialAnswer.objects.select_for_update().filter(proposal=proposal).first()
    if answer is None:
        raise ValidationError(_("Write the official answer before publishing it."))
    if answer.is_published:
        raise ValidationError(_("The answer is already published."))
    answer_check_filled_in(body=answer.body, proposal=answer.proposal)
    proposal_transition(proposal=proposal, actor=actor, to_state=answer.outcome, answer=answer)
    answer.published_at = timezone.now()
    answer.save(update_fields=["published_at", "updated_at"])
    return answer


def proposals_answer_with_template(
    *, proposals, actor, template: AnswerTemplate
) -> tuple[int, list[str]]:
    """Answer many cases with one template: each in its own transaction, so one that cannot be
    answered (already decided, say) does not stop the others. Returns (answered, problems)."""
    answered, problems = 0, []
    for proposal in proposals:
        try:
            with transaction.atomic():
                answer_save_draft(
                    proposal=proposal,
                    actor=actor,
                    outcome=template.outcome,
                    body=answer_template_fill(template=template, proposal=proposal),
                )
                answer_publish(proposal=proposal, actor=actor)
        except ValidationError as error:
            problems.append(f"{proposal.reference}: {' '.join(error.messages)}")
        else:
            answered += 1
    return answered, problems


# --- Deadline follow-up ---------------------------------------------------------------------------


def deadlines_follow_up(*, today: datetime.date | None = None) -> dict[str, int]:
    """Remind before each running deadline and tell (and escalate) when one has passed.

    Runs daily from beat and may run any number of times: every notification has a dedupe key
    naming the deadline and its date, and the window looks back ``LOOKBACK_DAYS``, so a missed
    run is caught up and nothing is sent twice.
    """
    today = today or timezone.localdate()
    before = settings.PROPOSALS["REMINDER_DAYS_BEFORE"]
    lookback = settings.PROPOSALS["LOOKBACK_DAYS"]
    low, high = (
        today - datetime.timedelta(days=lookback + 1),
        today + datetime.timedelta(days=before),
    )
    date_fields = ["committee_due", "preliminary_due", "decision_due", "info_due"]
    window = Q()
    for name in date_fields:
        window |= Q(**{f"{name}__range": (low, high)})
    window |= Q(messages__answer_by__range=(low, high), messages__answered_at__isnull=True)
    states = [*COMMITTEE_STATES, *DIALOGUE_STATES]
    candidates = list(
        Proposal.objects.filter(window, state__in=states)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    counts = {"soon": 0, "passed": 0}
    for pk in candidates:
        with transaction.atomic():
            # Read again under the row lock: a case that moved on since the list was made
            # (forwarded, answered, decided) is not reminded of a deadline it no longer has.
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("committee", "handler", "department")
                .filter(pk=pk, state__in=states)
                .first()
            )
            if proposal is None:
                continue
            for deadline in deadlines.proposal_deadlines(
                proposal, open_requests=deadlines.open_requests_for(proposal)
            ):
                base = f"proposal:{proposal.pk}:deadline:{deadline.key}"
                context = {"proposal": proposal, "deadline": deadline}
                if deadline.due - datetime.timedelta(days=before) <= today <= deadline.due:
                    counts["soon"] += notify(
                        recipients=_party_recipients(proposal, deadline.party),
                        kind=kinds.DEADLINE_SOON,
                        context=context,
                        target=proposal,
                        dedupe_key=base + ":soon",
                    )
                elif deadline.due < today <= deadline.due + datetime.timedelta(days=lookback):
                    if deadline.party == Party.MUNICIPALITY:
                        people = escalation_recipients(proposal)
                    else:
                        people = (
                            committee_recipients(proposal)
                            + committee_selectors.committee_municipal_contacts(
                                committee=proposal.committee
                            )
                            + ([proposal.handler] if proposal.handler_id else [])
                        )
                    counts["passed"] += notify(
                        recipients=people,
                        kind=kinds.DEADLINE_PASSED,
                        context=context,
                        target=proposal,
                        dedupe_key=base + ":passed",
                    )
    return counts
