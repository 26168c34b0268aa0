"""The committee's board writes its application: a new draft (``application_new``) and its
changes (``application_update``) — what, where (with optional coordinates, both or neither),
who, when, the planned dugnad hours, the amount applied for, a budget of at most
``MAX_BUDGET_LINES`` lines and photos "before". Here too: who may write and when (the scheme
open today: ``opens_on`` ≤ today ≤ ``application_deadline``, each when set), which sending
asks again.

It may be changed only while it is a draft or more information is asked for
(``APPLICATION_EDITABLE``). Everything is checked (``checks``) before anything is written; the
photos' files are stored last and removed again if storing fails.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import attachments as core_attachments
from core.formatting import local_date

from ...models import (
    APPLICATION_EDITABLE,
    Application,
    BudgetLine,
    GrantScheme,
    PhotoKind,
    SchemeKind,
)
from ...permissions import is_board
from ..lifecycle import application_create, lock_application
from .checks import NOT_ALLOWED, CheckedLine, PreparedPhoto, budget_check, photos_prepare

# The fields the board writes (everything else is the portal's or the municipality's).
FIELDS = (
    "title",
    "description",
    "place",
    "latitude",
    "longitude",
    "participants",
    "starts_on",
    "ends_on",
    "planned_hours",
    "amount_requested",
)


# --- who may, and when ------------------------------------------------------------------------


def is_editable(application: Application) -> bool:
    return application.state in APPLICATION_EDITABLE


def can_edit_application(user, application: Application) -> bool:
    """The committee's board, while it is a draft or more information is asked for."""
    return is_editable(application) and is_board(user, application.committee)


def scheme_open_problems(scheme: GrantScheme, *, today: datetime.date | None = None) -> list[str]:
    """Why the scheme takes no applications today (empty when it does)."""
    today = today or timezone.localdate()
    if scheme.kind != SchemeKind.APPLICATION:
        return [_("This scheme is not open for applications: it is allocated by formula.")]
    if scheme.opens_on and today < scheme.opens_on:
        return [
            _("The scheme opens for applications on %(day)s.")
            % {"day": local_date(scheme.opens_on)}
        ]
    if scheme.application_deadline and today > scheme.application_deadline:
        return [
            _("The scheme's application deadline was %(day)s.")
            % {"day": local_date(scheme.application_deadline)}
        ]
    return []


def open_schemes(*, today: datetime.date | None = None):
    """The application-based schemes open today (with their department)."""
    from django.db.models import Q

    today = today or timezone.localdate()
    return (
        GrantScheme.objects.filter(kind=SchemeKind.APPLICATION)
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gte=today))
        .select_related("department")
        .order_by("application_deadline", "name", "pk")
    )


# --- what the board writes ---------------------------------------------------------------------


def _field_problems(fields: dict) -> dict[str, list[str]]:
    """The text fields' NUL bytes (PostgreSQL refuses them: a 500, not a message)."""
    problems = {}
    for name, value in fields.items():
        if isinstance(value, str) and NOT_ALLOWED in value:
            problems[name] = [_("The text contains a character that is not allowed.")]
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not an application field the board writes: {sorted(unknown)}")
    return problems


def _store_photos(application: Application, actor, prepared: list[PreparedPhoto]) -> None:
    """Store prepared photos "before" (last: nothing after them can fail); a file written
    before a later one fails is deleted again."""
    stored = []
    try:
        for item in prepared:
            item.store(application=application, kind=PhotoKind.BEFORE, actor=actor, stored=stored)
    except Exception:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def _write_budget(application: Application, checked: list[CheckedLine]) -> None:
    application.budget_lines.filter(actual=False).delete()
    rows = [
        BudgetLine(
            application=application, actual=False, description=c.description, amount=c.amount
        )
        for c in checked
    ]
    for row in rows:
        row.full_clean(exclude=["application"])
    BudgetLine.objects.bulk_create(rows)


def _check_input(*, application, fields, budget_lines, photos, remove_photos, existing_photos):
    """Every problem of what the board wrote, by field; what to write when there is none."""
    problems = _field_problems(fields)
    checked = None
    if budget_lines is not None:
        checked, line_messages = budget_check(budget_lines)
        if line_messages:
            problems["budget_lines"] = line_messages
    removed = set(remove_photos)
    before = {p.pk: p for p in existing_photos if p.kind == PhotoKind.BEFORE}
    if removed - set(before):
        problems["remove_photos"] = [_("That photo is not in this application.")]
    kept = len(existing_photos) - len(removed & set(before))
    prepared, photo_messages = photos_prepare(existing=kept, photos=list(photos))
    if photo_messages:
        problems["photos"] = photo_messages
    return problems, checked, prepared, [before[pk] for pk in removed if pk in before]


@transaction.atomic
def application_new(
    *, scheme: GrantScheme, committee, actor, fields: dict, budget_lines=(), photos=()
) -> Application:
    """The board's new draft: its fields (``FIELDS``), its budget ``[{description, amount},
    …]`` and photos "before" ``[(uploaded file, description), …]``. The scheme must be open.
    ``ValidationError`` by field (the model's fields, ``budget_lines``, ``photos``, ``scheme``)
    and nothing written when anything is wrong."""
    if not is_board(actor, committee):
        raise ValidationError(_("Only the committee's board can apply for a grant."))
    if found := scheme_open_problems(scheme):
        raise ValidationError({"scheme": found})
    problems, checked, prepared, _removed = _check_input(
        application=None,
        fields=fields,
        budget_lines=budget_lines,
        photos=photos,
        remove_photos=(),
        existing_photos=[],
    )
    candidate = Application(scheme=scheme, committee=committee, number="-", **fields)
    try:
        candidate.full_clean(exclude=["number"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    application = application_create(scheme=scheme, committee=committee, actor=actor, **fields)
    _write_budget(application, checked or [])
    _store_photos(application, actor, prepared)
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor,
    fields: dict,
    budget_lines=None,
    photos=(),
    remove_photos=(),
) -> Application:
    """The board changes its application while it is a draft or more information is asked for
    (``APPLICATION_EDITABLE``). ``budget_lines``: the whole budget after saving (``None``
    leaves it); ``photos`` are added, ``remove_photos`` (ids of photos "before") taken away."""
    application = lock_application(application)
    if not is_board(actor, application.committee):
        raise ValidationError(_("Only the committee's board can change its application."))
    if not is_editable(application):
        raise ValidationError(
            _(
                "The application can only be changed while it is a draft or the municipality "
                "has asked for more information."
            )
        )
    problems, checked, prepared, removed = _check_input(
        application=application,
        fields=fields,
        budget_lines=budget_lines,
        photos=photos,
        remove_photos=remove_photos,
        existing_photos=list(application.photos.all()),
    )
    for name, value in fields.items():
        setattr(application, name, value)
    try:
        application.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    application.save()
    if checked is not None:
        _write_budget(application, checked)
    for photo in removed:
        core_attachments.delete_file_on_commit(photo.image)
        photo.delete()
    _store_photos(application, actor, prepared)
    return application
