"""The vocabulary of an agreement: its states, the parties, kinds, the task catalogue, pricing,
renewal and the report duty's states.

Kept apart from the models so the step table, the rules, the economics and the templates can use
them without the models' imports.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement", "Draft")
    SENT = "sent", _("Sent for signing")
    SIGNED_COMMITTEE = "signed_committee", _("Signed by the committee")
    SIGNED_MUNICIPALITY = "signed_municipality", _("Signed by both parties")
    ACTIVE = "active", pgettext_lazy("agreement", "Active")
    EXPIRING = "expiring", _("Expiring (in the notice period)")
    ENDED = "ended", pgettext_lazy("agreement", "Ended")
    RENEWED = "renewed", pgettext_lazy("agreement", "Renewed")
    TERMINATED = "terminated", pgettext_lazy("agreement", "Terminated")


# Before both parties have signed: only the two parties see it (offentleglova § 3 covers what
# has been agreed; a draft is a working document).
UNSIGNED_STATES = frozenset({State.DRAFT, State.SENT, State.SIGNED_COMMITTEE})
# Signed by both: public at /avtaler/, with its economic picture.
PUBLIC_STATES = frozenset(set(State.values) - UNSIGNED_STATES)
# Whose terms may still change (a change after a signature voids it: services.terms).
EDITABLE_STATES = UNSIGNED_STATES
# In force: payments are due, reports are owed, the economic picture counts.
IN_FORCE_STATES = frozenset({State.ACTIVE, State.EXPIRING})
# The agreement has run its course.
CLOSED_STATES = frozenset({State.ENDED, State.RENEWED, State.TERMINATED})


class Party(models.TextChoices):
    """Who acts on an agreement: the committee (its leader signs, its board reports), the
    municipality (the department's case handlers draft, sign and pay), or the portal itself
    (activation on the start day, the notice period, expiry and automatic renewal)."""

    COMMITTEE = "committee", _("Committee")
    MUNICIPALITY = "municipality", _("Municipality")
    SYSTEM = "system", _("The portal")


class Kind(models.TextChoices):
    OPERATION = "operation", _("Operating agreement")
    MAINTENANCE = "maintenance", _("Maintenance agreement")
    COOPERATION = "cooperation", _("Cooperation agreement")


class Renewal(models.TextChoices):
    NONE = "none", _("No renewal")
    AUTOMATIC = "automatic", _("Renewed automatically")
    BY_AGREEMENT = "by_agreement", _("Renewed by agreement")


class TaskKind(models.TextChoices):
    """The catalogue of tasks a committee can take over (Larvik's 2024 park tasks and more)."""

    GRASS_CUTTING = "grass_cutting", _("Grass cutting")
    FLAG_RAISING = "flag_raising", _("Flag raising")
    LEAF_BLOWING = "leaf_blowing", _("Leaf blowing")
    PLANTING = "planting", _("Planting and watering")
    BEACH_CLEANING = "beach_cleaning", _("Beach cleaning")
    PLAYGROUND = "playground", _("Playground inspection")
    ICE_RINK = "ice_rink", _("Ice rink")
    MEETING_PLACE = "meeting_place", _("Running a meeting place")
    OTHER = "other", _("Other task")


class Pricing(models.TextChoices):
    FIXED = "fixed", _("Fixed sum per year")
    PER_OCCASION = "per_occasion", _("Per occasion")
    REIMBURSED = "reimbursed", _("Reimbursed against documentation, up to a ceiling")


class ProvisionKind(models.TextChoices):
    """What the municipality lends or provides (its in-kind contribution)."""

    EQUIPMENT = "equipment", _("Equipment")
    MATERIALS = "materials", _("Materials")
    TRAINING = "training", _("Training")


class PaymentSource(models.TextChoices):
    # From the payment plan: part of the signed terms.
    PLAN = "plan", _("Payment plan")
    # From an approved report's documented costs: not part of the terms.
    REPORT = "report", _("Documented costs")
    # A grant (the grants app): no agreement; the payee committee and the paying department are
    # on the payment itself, and the grant that created it names it (``agreements.payment_owners``).
    GRANT = "grant", _("Grant")


class DutyState(models.TextChoices):
    OPEN = "open", pgettext_lazy("report", "Due")
    SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
    RETURNED = "returned", pgettext_lazy("report", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("report", "Approved")
    # The agreement ended (or was terminated) before the duty was due.
    CANCELLED = "cancelled", pgettext_lazy("report", "Cancelled")


# Duties the committee still has to do something about.
DUTY_OWED_STATES = frozenset({DutyState.OPEN, DutyState.RETURNED})
