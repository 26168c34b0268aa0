"""The vocabulary of a dugnad: its states, the parties, resource kinds and sign-up states.

Kept apart from the models so the step table, the rules and the templates can use them without
the models' imports.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("dugnad", "Published")
    CANCELLED = "cancelled", pgettext_lazy("dugnad", "Cancelled")
    COMPLETED = "completed", pgettext_lazy("dugnad", "Held")
    REPORTED = "reported", pgettext_lazy("dugnad", "Reported")


# Shown on the public list and open for sign-up (until the sign-up deadline and the start).
OPEN_STATES = frozenset({State.PUBLISHED})
# Shown publicly at all: a draft is the board's own.
PUBLIC_STATES = frozenset({State.PUBLISHED, State.CANCELLED, State.COMPLETED, State.REPORTED})
# What can still be changed (time, place, needs, resources).
EDITABLE_STATES = frozenset({State.DRAFT, State.PUBLISHED})
# Dugnads whose hours count in the figures.
COUNTED_STATES = frozenset({State.REPORTED})


class Party(models.TextChoices):
    """Who acts on a dugnad: its committee (organisers and leader), the municipality (answers
    resource requests in the admin), or the portal itself (marks a dugnad held once it ends)."""

    COMMITTEE = "committee", _("Committee")
    MUNICIPALITY = "municipality", _("Municipality")
    SYSTEM = "system", _("The portal")


class ResourceKind(models.TextChoices):
    CONTAINER = "container", _("Container")
    TOOLS = "tools", _("Tools")
    GLOVES = "gloves", _("Gloves and bags")
    WASTE_PICKUP = "waste_pickup", _("Waste pick-up")
    TRAFFIC = "traffic", _("Traffic and road")
    OTHER = "other", _("Other")


class ResourceState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("resource", "Requested")
    CONFIRMED = "confirmed", pgettext_lazy("resource", "Confirmed")
    DECLINED = "declined", pgettext_lazy("resource", "Declined")


class SignupState(models.TextChoices):
    # A guest's sign-up waits for the e-mail link before it holds a place.
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("signup", "Signed up")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("signup", "Cancelled")


# Sign-ups that count: they hold a place or wait for one.
ACTIVE_SIGNUP_STATES = frozenset({SignupState.CONFIRMED, SignupState.WAITLISTED})
