"""A proposal's vocabulary: its kinds, topics, states and parties, and the groups of states the
rules speak of (open, at the municipality, decided, in dialogue). No model here, so the step
table, the rules and the models can all import it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    IDEA = "idea", _("Idea or initiative")
    TAKEOVER = "takeover", _("Take over a municipal task")
    DUGNAD = "dugnad", _("Wish for a joint dugnad")
    CITIZEN = "citizen", _("Citizens' proposal (§ 12-1)")


class Category(models.TextChoices):
    """The municipality's own list from the committees' start-up."""

    PROFESSIONS_IN_SCHOOL = "professions", _("More professions into kindergarten and school")
    SCHOOL_LEISURE = "school_leisure", _("School and leisure")
    VOLUNTEERING_CARE = "volunteering_care", _("Volunteering and care")
    YOUTH_CLUBS = "youth_clubs", _("Youth clubs")
    HOUSING = "housing", _("Housing and plots")
    SELF_ORGANISED = "self_organised", _("Self-organised activities for children and youth")
    COOPERATION = "cooperation", _("Cooperation with the municipality")
    DIVERSITY = "diversity", _("Diversity")
    MEETING_PLACES = "meeting_places", _("Meeting places for all")
    BEAUTIFICATION = "beautification", _("Beautification, planting and flag raising")
    JOINT_DUGNADS = "joint_dugnads", _("Joint dugnads with the municipality")
    TAKEOVER = "takeover", _("Taking over municipal tasks")
    OLD_AGE = "old_age", _("A meaningful old age")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the committee")
    COMMITTEE_REVIEW = "committee_review", _("Being considered by the committee")
    DECLINED = "declined", _("Declined by the committee")
    FORWARDED = "forwarded", _("Forwarded to the municipality")
    RECEIVED = "received", _("Received by the municipality")
    IN_REVIEW = "in_review", _("Being considered by the municipality")
    INFO_REQUESTED = "info_requested", _("More information requested")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")


class Party(models.TextChoices):
    """Who may make a transition: the proposal's author, its committee's board, the municipality."""

    AUTHOR = "author", _("Author")
    COMMITTEE = "committee", _("Committee")
    MUNICIPALITY = "municipality", _("Municipality")


S, P = State, Party
COMMITTEE_STATES = {S.SUBMITTED, S.COMMITTEE_REVIEW}
MUNICIPAL_STATES = {S.FORWARDED, S.RECEIVED, S.IN_REVIEW, S.INFO_REQUESTED}
DECIDED_STATES = {S.ACCEPTED, S.PARTLY_ACCEPTED, S.REJECTED}
OUTCOMES = [S.ACCEPTED, S.PARTLY_ACCEPTED, S.REJECTED]
# A case is open from its submission until the decision: the list's "Open cases".
OPEN_STATES = COMMITTEE_STATES | MUNICIPAL_STATES
# Before a decision the author may withdraw; afterwards the case belongs to the record.
WITHDRAWABLE_STATES = OPEN_STATES
# Supports are collected while the case is open (the model, permissions, services and pages).
SUPPORTABLE_STATES = OPEN_STATES
# The committee and the municipality talk once the case has reached the municipality, until done.
DIALOGUE_STATES = MUNICIPAL_STATES | DECIDED_STATES | {S.IN_PROGRESS}
# What the service and the message page say when someone writes outside DIALOGUE_STATES.
DIALOGUE_CLOSED = _(
    "Messages can be written once the proposal is with the municipality, until it is done."
)
