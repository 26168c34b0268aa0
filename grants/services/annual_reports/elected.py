"""The annual meeting as the protocol records it: the day it was held and the board it elected
(name, e-mail, role on the board, elected until), at most ``MAX_ELECTED`` people, exactly one
leader. Saving it is the board's, while the report is owed; it changes no membership — applying
it to the committee's board is ``board_apply``'s, once the municipality has approved the report.
"""

import datetime
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import BOARD_ROLES, Role

from ...models import AnnualReport, ElectedBoardMember
from ..lifecycle import lock_annual_report
from .editing import _check_board, _check_editable

# The most people one protocol elects (a board, its deputies): the form's rows and the rule.
MAX_ELECTED = 20
NAME_MAX_LENGTH = ElectedBoardMember._meta.get_field("name").max_length
EMAIL_MAX_LENGTH = ElectedBoardMember._meta.get_field("email").max_length
# The roles a protocol elects, in the board's order (not followers, not the municipal contact,
# whom the municipality chooses).
ELECTED_ROLES = [role for role in Role if role in BOARD_ROLES]
LAST_DAY = datetime.date(2100, 12, 31)


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
