"""A committee's annual report, as an association: its documents, the board the annual meeting
elected, sending it, the municipality's approval or return, and applying the elected board to
the committee's memberships.

- **Documents** (the checklist, ``DocumentKind``): PDF, PNG or JPEG, recognised by their first
  bytes (``core.attachments``). The name must end like one of the three, but the bytes decide
  what the file is: a scan saved as ``protokoll.pdf`` that is really a PNG is stored and served
  as the PNG it is (``protokoll.png``); an EXE renamed ``.pdf`` is refused. At most
  ``GRANTS["MAX_DOCUMENT_BYTES"]`` each and ``GRANTS["MAX_DOCUMENTS_PER_REPORT"]`` per report,
  stored under a random token, never the uploader's name.
- **The annual meeting**: the day it was held and the board it elected (name, e-mail, role on
  the board, elected until), at most ``MAX_ELECTED`` people, exactly one leader.
- **Sending** (``annual_report_submit``): the board sends it while it is open or returned, when
  every kind of document is there, the meeting's day is given and the leader is elected.
- **Review**: staff approve it or return it with a comment (the comment is on the report and
  on its timeline); the committee corrects it and sends it again.
- **Applying the elected board** (``apply_elected_board``): the committee's leader, once the
  municipality has **approved** the report. Approval is the point where the municipality has
  read the protocol, so the board it names has the municipality's word behind it: that is what
  lets the leader's own place change here too (on the site a leader cannot change or end their
  own leadership; the committees' rule sends them to the municipality, and the approval is
  that). Everything happens through the committees' own services, in one transaction: roles
  and terms changed (``membership_update``), those not re-elected ended (``membership_end``),
  everyone new invited (``board_invitation_create``: nobody is put on a public board without
  saying yes; with an account they are asked in the portal, without one by e-mail). It is done
  once (``board_applied_at``); a second time is refused.

Every function is one transaction and raises ``ValidationError`` with the reason for the user.
"""

import datetime
from dataclasses import asdict, dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees import invitation_services
from committees import services as committee_services
from committees.models import BOARD_ROLES, BoardInvitation, Membership, Role
from core import attachments as core_attachments

from ..models import (
    ANNUAL_REPORT_OWED,
    AnnualReport,
    AnnualReportDocument,
    AnnualReportEvent,
    AnnualReportState,
    DocumentKind,
    ElectedBoardMember,
    Party,
)
from ..permissions import can_apply_elected_board, can_submit_annual_report
from .lifecycle import annual_report_transition, lock_annual_report

R = AnnualReportState

DOCUMENT_TYPES = core_attachments.DOCUMENTS_AND_IMAGES
DOCUMENT_ACCEPT = DOCUMENT_TYPES.accept
TOO_MANY = gettext_lazy("An annual report can have at most %(n)d documents.")
# The most people one protocol elects (a board, its deputies): the form's rows and the rule.
MAX_ELECTED = 20
NAME_MAX_LENGTH = ElectedBoardMember._meta.get_field("name").max_length
EMAIL_MAX_LENGTH = ElectedBoardMember._meta.get_field("email").max_length
# The roles a protocol elects, in the board's order (not followers, not the municipal contact,
# whom the municipality chooses).
ELECTED_ROLES = [role for role in Role if role in BOARD_ROLES]
LAST_DAY = datetime.date(2100, 12, 31)


def max_documents() -> int:
    return settings.GRANTS["MAX_DOCUMENTS_PER_REPORT"]


def max_document_bytes() -> int:
    return settings.GRANTS["MAX_DOCUMENT_BYTES"]


def is_editable(report: AnnualReport) -> bool:
    """The committee changes its report while it is owed: open, or returned for changes."""
    return report.state in ANNUAL_REPORT_OWED


def _check_board(actor, report: AnnualReport) -> None:
    if actor is None or not can_submit_annual_report(actor, report.committee):
        raise ValidationError(_("Only the committee's board can change its annual report."))


def _check_editable(report: AnnualReport) -> None:
    if not is_editable(report):
        raise ValidationError(
            _("The annual report has been sent to the municipality and cannot be changed now.")
        )


# --- Documents ------------------------------------------------------------------------------------


class _Renamed:
    """An uploaded file seen under another name (what its bytes say it is), for the checks."""

    def __init__(self, uploaded_file, name: str):
        self._file = uploaded_file
        self.name = name
        self.size = uploaded_file.size

    def seek(self, *args):
        return self._file.seek(*args)

    def read(self, *args):
        return self._file.read(*args)


def type_by_bytes(uploaded_file) -> core_attachments.FileType | None:
    """Which of the allowed types the file's first bytes say it is (None: none of them)."""
    uploaded_file.seek(0)
    head = uploaded_file.read(core_attachments.SIGNATURE_BYTES)
    uploaded_file.seek(0)
    return next((kind for kind in DOCUMENT_TYPES.types if kind.matches(head)), None)


def stored_name(uploaded_file) -> str:
    """The file's name as it is kept: the uploader's, ending as its bytes say (``scan.pdf``
    that is a PNG is ``scan.png``). A name that does not end like an allowed type is left as
    it is (and refused)."""
    name = Path(uploaded_file.name or "").name
    by_name = DOCUMENT_TYPES.for_name(name)
    by_bytes = type_by_bytes(uploaded_file) if uploaded_file.size else None
    if by_name is None or by_bytes is None or by_name == by_bytes:
        return name
    suffix = Path(name).suffix
    return name[: len(name) - len(suffix)] + by_bytes.extensions[0]


def document_problems(*, uploaded_file, existing_count: int) -> list[str]:
    """Why a file cannot be one of the report's documents (empty when it can): its name must
    end like a PDF, PNG or JPEG and its bytes must be one of them; not empty, not too large,
    not one too many. The service's rule, also the form's."""
    name = Path(uploaded_file.name or "").name
    if "\x00" in name:
        return [_("The file name contains a character that is not allowed.")]
    checked = stored_name(uploaded_file)
    problems = core_attachments.attachment_problems(
        uploaded_file=_Renamed(uploaded_file, checked),
        existing_count=existing_count,
        types=DOCUMENT_TYPES,
        max_bytes=max_document_bytes(),
        max_count=max_documents(),
        too_many=TOO_MANY,
    )
    if len(name) > core_attachments.MAX_NAME_LENGTH >= len(checked):
        problems.append(_("The file name is too long (at most 200 characters)."))
    return problems


@transaction.atomic
def document_upload(*, report: AnnualReport, actor, kind: str, uploaded_file):
    """Add one document of ``kind`` to the checklist (the board, while the report is owed)."""
    report = lock_annual_report(report)
    _check_board(actor, report)
    _check_editable(report)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose which document this is.")})
    problems = document_problems(
        uploaded_file=uploaded_file, existing_count=report.documents.count()
    )
    if problems:
        raise ValidationError({"file": problems})
    name = stored_name(uploaded_file)
    document = AnnualReportDocument(
        annual_report=report,
        kind=kind,
        token=core_attachments.new_token(),
        extension=Path(name).suffix.lower(),
        content_type=DOCUMENT_TYPES.content_type_for(name),
        original_name=name,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    document.file.save(name, uploaded_file, save=False)  # upload_to: the token, not the name
    try:
        document.full_clean(exclude=["file"])
        document.save()
    except Exception:
        # Nothing in the database points at the file: do not leave it behind.
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, document: AnnualReportDocument, actor) -> None:
    """Remove a document (the board, while the report is owed); the file goes on commit."""
    report = lock_annual_report(document.annual_report)
    _check_board(actor, report)
    _check_editable(report)
    document = AnnualReportDocument.objects.get(pk=document.pk, annual_report=report)
    core_attachments.delete_file_on_commit(document.file)
    document.delete()


# --- The annual meeting and the board it elected -----------------------------------------------


@dataclass(frozen=True)
class Elected:
    """One line of the protocol's board, as the form gives it."""

    name: str
    email: str
    role: str
    term_ends_on: datetime.date | None = None


def _text_problem(value: str, *, label: str, max_length: int) -> str | None:
    if not value:
        return _("%(field)s is missing.") % {"field": label}
    if "\x00" in value:
        return _("%(field)s contains a character that is not allowed.") % {"field": label}
    if len(value) > max_length:
        return _("%(field)s can be at most %(n)d characters.") % {"field": label, "n": max_length}
    return None


def meeting_problems(*, report: AnnualReport, meeting_on, today: datetime.date) -> list[str]:
    if meeting_on is None:
        return []
    if meeting_on > today:
        return [_("The annual meeting cannot be held in the future.")]
    if meeting_on < datetime.date(report.year, 1, 1):
        return [
            _("The annual meeting for %(year)d must be held in %(year)d or later.")
            % {"year": report.year}
        ]
    return []


def elected_problems(
    members: list[Elected], *, meeting_on: datetime.date | None
) -> dict[str, list[str]]:
    """Why the protocol's board cannot be saved as it is (empty when it can), by line
    (``"1"``, ``"2"``, … for the first, second line) and ``"members"`` for the whole list."""
    problems: dict[str, list[str]] = {}
    if len(members) > MAX_ELECTED:
        problems["members"] = [
            _("The annual meeting's board can have at most %(n)d people.") % {"n": MAX_ELECTED}
        ]
        return problems
    seen: set[str] = set()
    validate_email = EmailValidator(message=_("Enter a valid e-mail address."))
    for index, member in enumerate(members, start=1):
        line = []
        for value, label, max_length in (
            (member.name, _("The name"), NAME_MAX_LENGTH),
            (member.email, _("The e-mail address"), EMAIL_MAX_LENGTH),
        ):
            if problem := _text_problem(value, label=str(label), max_length=max_length):
                line.append(problem)
        if member.email and not line:
            try:
                validate_email(member.email)
            except ValidationError as error:
                line.extend(error.messages)
            if member.email.lower() in seen:
                line.append(_("This e-mail address is on the list twice."))
            seen.add(member.email.lower())
        if member.role not in {role.value for role in ELECTED_ROLES}:
            line.append(_("Choose the person's role on the board."))
        if member.term_ends_on is not None:
            if meeting_on is not None and member.term_ends_on <= meeting_on:
                line.append(_("The term must end after the annual meeting."))
            elif member.term_ends_on > LAST_DAY:
                line.append(_("The term must end by 2100."))
        if line:
            problems[str(index)] = line
    leaders = sum(1 for member in members if member.role == Role.LEADER)
    if members and leaders != 1:
        problems.setdefault("members", []).append(
            _("The annual meeting elects exactly one leader.")
        )
    return problems


@transaction.atomic
def elected_board_save(
    *,
    report: AnnualReport,
    actor,
    meeting_on: datetime.date | None,
    members: list[Elected],
    today: datetime.date | None = None,
) -> AnnualReport:
    """The day of the annual meeting and the board it elected, as the protocol says: the whole
    list replaces the one saved before (the board, while the report is owed)."""
    today = today or timezone.localdate()
    report = lock_annual_report(report)
    _check_board(actor, report)
    _check_editable(report)
    members = [
        Elected(
            name=(member.name or "").strip(),
            email=(member.email or "").strip(),
            role=member.role,
            term_ends_on=member.term_ends_on,
        )
        for member in members
    ]
    problems: dict[str, list] = {}
    if meeting := meeting_problems(report=report, meeting_on=meeting_on, today=today):
        problems["meeting_on"] = meeting
    problems.update(elected_problems(members, meeting_on=meeting_on))
    if problems:
        raise ValidationError(problems)
    report.meeting_on = meeting_on
    report.full_clean()
    report.save(update_fields=["meeting_on"])
    report.elected.all().delete()
    rows = [ElectedBoardMember(annual_report=report, **asdict(member)) for member in members]
    for row in rows:
        row.full_clean(exclude=["annual_report"], validate_unique=False)
    ElectedBoardMember.objects.bulk_create(rows)
    return report


# --- Sending and the review -------------------------------------------------------------------------


def submit_problems(report: AnnualReport) -> list[str]:
    """What is still missing before the report can be sent (empty when it can)."""
    problems = []
    present = set(report.documents.values_list("kind", flat=True))
    for kind in DocumentKind:
        if kind.value not in present:
            problems.append(_("Add the document “%(kind)s”.") % {"kind": kind.label})
    if report.meeting_on is None:
        problems.append(_("Give the day the annual meeting was held."))
    if not report.elected.filter(role=Role.LEADER).exists():
        problems.append(_("Fill in the board the annual meeting elected, with its leader."))
    return problems


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, actor) -> AnnualReport:
    """The board sends the report to the municipality, once the checklist is complete."""
    report = lock_annual_report(report)
    _check_board(actor, report)
    _check_editable(report)
    if problems := submit_problems(report):
        raise ValidationError(problems)

    def change(*, report, step, party, message):
        report.submitted_at = timezone.now()
        report.submitted_by = actor

    return annual_report_transition(
        report=report,
        actor=actor,
        to_state=R.SUBMITTED,
        parties={Party.COMMITTEE},
        change=change,
    )


def _reviewed(actor, *, comment: str | None = None):
    def change(*, report, step, party, message):
        report.reviewed_at = timezone.now()
        report.reviewed_by = actor
        if comment is not None:
            report.comment = message

    return change


@transaction.atomic
def annual_report_approve(*, report: AnnualReport, actor) -> AnnualReport:
    """Staff approve a submitted report (``can_review_annual_reports``)."""
    return annual_report_transition(
        report=report, actor=actor, to_state=R.APPROVED, change=_reviewed(actor)
    )


@transaction.atomic
def annual_report_return(*, report: AnnualReport, actor, comment: str) -> AnnualReport:
    """Staff return a submitted report with what must be corrected (required): the committee
    sees it on the report's page, and it is on the timeline."""
    return annual_report_transition(
        report=report,
        actor=actor,
        to_state=R.RETURNED,
        message=comment,
        change=_reviewed(actor, comment=comment),
    )


# --- Applying the elected board to the memberships -------------------------------------------------


class Change:
    """What applying the board does for one person (``BoardChange.action``)."""

    KEEP = "keep"  # re-elected to the same role and term: nothing changes
    CHANGE = "change"  # re-elected to another role or term
    END = "end"  # on the board today, not re-elected: the membership ends today
    INVITE = "invite"  # not on the board: invited (with an account in the portal, else e-mail)
    ALREADY_INVITED = "already_invited"  # an invitation just like it is waiting for an answer
    REINVITE = "reinvite"  # a waiting invitation for another role or term: replaced
    WITHDRAW = "withdraw"  # a waiting invitation to someone the meeting did not elect


@dataclass
class BoardChange:
    action: str
    name: str
    email: str
    role: str = ""
    term_end: datetime.date | None = None
    previous_role: str = ""
    previous_term_end: datetime.date | None = None
    has_account: bool = False
    membership: Membership | None = field(default=None, repr=False)
    invitation: BoardInvitation | None = field(default=None, repr=False)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""

    @property
    def previous_role_label(self) -> str:
        return str(Role(self.previous_role).label) if self.previous_role else ""

    @property
    def changes_anything(self) -> bool:
        return self.action not in (Change.KEEP, Change.ALREADY_INVITED)


def apply_problems(report: AnnualReport, *, actor, today: datetime.date) -> list[str]:
    """Why ``actor`` cannot apply the report's elected board now (empty when they can)."""
    if actor is None or not can_apply_elected_board(actor, report.committee):
        return [_("Only the committee's leader can apply the elected board.")]
    if report.board_applied_at is not None:
        return [_("The elected board has already been applied to the committee's board.")]
    if report.state != R.APPROVED:
        return [
            _(
                "The elected board can be applied once the municipality has approved the "
                "annual report."
            )
        ]
    elected = list(report.elected.all())
    if not any(member.role == Role.LEADER for member in elected):
        return [_("The annual report names no elected leader.")]
    ended = [m.name for m in elected if m.term_ends_on is not None and m.term_ends_on <= today]
    if ended:
        return [
            _("The term of %(names)s has already ended. Nothing can be applied.")
            % {"names": ", ".join(ended)}
        ]
    return []


def _addresses_of(user_ids) -> dict[int, set[str]]:
    """Each user's confirmed addresses, lower case, in one query (the committees' rule of
    "this address is the person's": ``committees.selectors.verified_address_q``)."""
    addresses: dict[int, set[str]] = {}
    rows = EmailAddress.objects.filter(user_id__in=user_ids, verified=True)
    for user_id, email in rows.values_list("user_id", "email"):
        addresses.setdefault(user_id, set()).add(email.lower())
    return addresses


def _with_accounts(emails: list[str]) -> set[str]:
    """Which of ``emails`` are an active account's confirmed address, in one query (with an
    account, an invitation is a notification in the portal; without, an e-mail)."""
    if not emails:
        return set()
    matching = Q()
    for email in emails:
        matching |= Q(email__iexact=email)
    found = {
        email.lower()
        for email in EmailAddress.objects.filter(
            matching, verified=True, user__is_active=True
        ).values_list("email", flat=True)
    }
    return {email for email in emails if email.lower() in found}


def board_changes(report: AnnualReport, *, today: datetime.date | None = None) -> list[BoardChange]:
    """What applying the elected board would do, person by person: the preview and the plan
    (a fixed number of queries however many people)."""
    today = today or timezone.localdate()
    committee = report.committee
    elected = list(report.elected.all())
    current = list(
        Membership.objects.current(on=today)
        .filter(committee=committee, role__in=[r.value for r in BOARD_ROLES])
        .select_related("user")
        .order_by("pk")
    )
    addresses = _addresses_of([m.user_id for m in current])
    by_email: dict[str, Membership] = {}
    for membership in current:
        for email in addresses.get(membership.user_id, set()) | {membership.user.email.lower()}:
            by_email.setdefault(email, membership)
    pending = {
        invitation.email.lower(): invitation
        for invitation in BoardInvitation.objects.pending().filter(committee=committee)
    }
    accounts = _with_accounts([m.email for m in elected])
    changes: list[BoardChange] = []
    kept: set[int] = set()
    for member in elected:
        membership = by_email.get(member.email.lower())
        change = BoardChange(
            action=Change.INVITE,
            name=member.name,
            email=member.email,
            role=member.role,
            term_end=member.term_ends_on,
            has_account=member.email in accounts,
        )
        if membership is not None and membership.pk not in kept:
            kept.add(membership.pk)
            change.membership = membership
            change.previous_role = membership.role
            change.previous_term_end = membership.term_end
            same = membership.role == member.role and membership.term_end == member.term_ends_on
            change.action = Change.KEEP if same else Change.CHANGE
        elif (invitation := pending.get(member.email.lower())) is not None:
            change.invitation = invitation
            same = invitation.role == member.role and invitation.term_end == member.term_ends_on
            change.action = Change.ALREADY_INVITED if same else Change.REINVITE
        changes.append(change)
    elected_emails = {member.email.lower() for member in elected}
    for email, invitation in pending.items():
        if email not in elected_emails:
            changes.append(
                BoardChange(
                    action=Change.WITHDRAW,
                    name=invitation.email,
                    email=invitation.email,
                    previous_role=invitation.role,
                    previous_term_end=invitation.term_end,
                    invitation=invitation,
                )
            )
    for membership in current:
        if membership.pk not in kept:
            changes.append(
                BoardChange(
                    action=Change.END,
                    name=str(membership.user),
                    email=membership.user.email,
                    previous_role=membership.role,
                    previous_term_end=membership.term_end,
                    membership=membership,
                )
            )
    return changes


def _acting_for(membership: Membership, actor):
    """Who a change to ``membership`` is made by, for the committees' services: the leader;
    for the leader's own membership the municipality's approval of the protocol (``None``, the
    system: the rule that a leader cannot change their own term sends them to the municipality,
    which has approved this board)."""
    return None if membership.user_id == actor.pk else actor


def _phase(change: BoardChange) -> int:
    """The order the changes are made in, so the board has one leader at every step: ends,
    then role changes away from leader and others, then the change to leader, then
    invitations (an invitation as leader needs the old leader gone)."""
    if change.action in (Change.END, Change.WITHDRAW):
        return 0
    if change.action == Change.CHANGE:
        return 2 if change.role == Role.LEADER else 1
    return 3


@transaction.atomic
def apply_elected_board(*, report: AnnualReport, actor, today: datetime.date | None = None):
    """Make the committee's board the one the approved report's annual meeting elected, in
    one transaction (see the module's docstring); returns the changes made."""
    today = today or timezone.localdate()
    report = lock_annual_report(report)
    if problems := apply_problems(report, actor=actor, today=today):
        raise ValidationError(problems)
    changes = board_changes(report, today=today)
    for change in sorted(changes, key=_phase):
        if change.action == Change.END:
            committee_services.membership_end(
                membership=change.membership,
                actor=_acting_for(change.membership, actor),
                on=today,
            )
        elif change.action == Change.WITHDRAW:
            invitation_services.board_invitation_withdraw(invitation=change.invitation, actor=actor)
        elif change.action == Change.CHANGE:
            membership = change.membership
            committee_services.membership_update(
                membership=membership,
                actor=_acting_for(membership, actor),
                role=change.role,
                represents=membership.represents,
                term_start=membership.term_start,
                term_end=change.term_end,
            )
        elif change.action in (Change.INVITE, Change.REINVITE):
            if change.invitation is not None:
                invitation_services.board_invitation_withdraw(
                    invitation=change.invitation, actor=actor
                )
            invitation_services.board_invitation_create(
                committee=report.committee,
                actor=actor,
                email=change.email,
                role=change.role,
                represents=Membership._meta.get_field("represents").default,
                term_start=today,
                term_end=change.term_end,
            )
    report.board_applied_at = timezone.now()
    report.save(update_fields=["board_applied_at"])
    made = [change for change in changes if change.changes_anything]
    AnnualReportEvent.objects.create(
        annual_report=report,
        actor=actor,
        actor_party=Party.COMMITTEE,
        from_state=report.state,
        to_state=report.state,
        message=_("The elected board was applied to the committee's board: %(summary)s")
        % {"summary": summary(changes)},
    )
    return made


def summary(changes: list[BoardChange]) -> str:
    """ "2 invited, 1 role changed, 1 ended, 3 unchanged" (for the timeline)."""
    counts = {
        Change.INVITE: 0,
        Change.REINVITE: 0,
        Change.CHANGE: 0,
        Change.END: 0,
        Change.KEEP: 0,
        Change.ALREADY_INVITED: 0,
        Change.WITHDRAW: 0,
    }
    for change in changes:
        counts[change.action] += 1
    return _(
        "%(invited)d invited, %(changed)d changed, %(ended)d ended, %(withdrawn)d "
        "invitations withdrawn, %(kept)d unchanged."
    ) % {
        "withdrawn": counts[Change.WITHDRAW],
        "invited": counts[Change.INVITE] + counts[Change.REINVITE],
        "changed": counts[Change.CHANGE],
        "ended": counts[Change.END],
        "kept": counts[Change.KEEP] + counts[Change.ALREADY_INVITED],
    }
