"""A grant scheme written from the admin: created, or its rules changed while they may be.

Once a formula scheme's allocation list is approved, its payments stand on the rules it was
worked out with: the pot, the formula, the figures' date, the eligibility and the payment rule
can no longer change (the name, description, source and deadlines still can). A scheme that
has allocations or applications keeps its kind."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.staff import is_municipal_staff

from ..models import AllocationListState, GrantScheme

# The rules an approved allocation list was worked out with.
FIXED_ONCE_APPROVED = frozenset(
    {
        "year",
        "kind",
        "department",
        "pot",
        "base_amount",
        "rate_per_resident",
        "age_from",
        "age_to",
        "population_date",
        "over_pot_rule",
        "requires_registration",
        "requires_active",
        "requires_annual_report",
        "payment_rule",
        "payment_days",
    }
)
# Written by the allocation services, never by a form.
RECORD_FIELDS = frozenset({"allocation_state", "approved_at", "approved_by", "created_at", "id"})


def _require(actor, permission: str) -> None:
    if actor is not None and not (is_municipal_staff(actor) and actor.has_perm(permission)):
        raise ValidationError(_("Only the municipality's case handlers keep the grant schemes."))


@transaction.atomic
def scheme_create(*, actor, **fields) -> GrantScheme:
    _require(actor, "grants.add_grantscheme")
    unknown = set(fields) & RECORD_FIELDS
    if unknown:
        raise ValidationError(_("These fields are not entered: %s") % ", ".join(sorted(unknown)))
    scheme = GrantScheme(**fields)
    scheme.full_clean()
    scheme.save()
    return scheme


@transaction.atomic
def scheme_update(*, scheme: GrantScheme, actor, **changes) -> GrantScheme:
    """Change the scheme's fields in ``changes`` (the rules refuse what may no longer change)."""
    _require(actor, "grants.change_grantscheme")
    current = GrantScheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
    changes = {name: value for name, value in changes.items() if name not in RECORD_FIELDS}
    changed = {name for name, value in changes.items() if getattr(current, name) != value}
    if current.allocation_state == AllocationListState.APPROVED and (
        fixed := sorted(changed & FIXED_ONCE_APPROVED)
    ):
        raise ValidationError(
            {
                name: _(
                    "The allocation list is approved: the rules it was worked out with can no "
                    "longer change."
                )
                for name in fixed
            }
        )
    if "kind" in changed and (current.allocations.exists() or current.applications.exists()):
        raise ValidationError(
            {"kind": _("The scheme has allocations or applications: its kind cannot change.")}
        )
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current
