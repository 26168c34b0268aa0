"""The review queue's actions on a case's course: acknowledge, ask the committee for
information, start the review, assign. Each calls a service for each selected case."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BOTH_PLACES

from .. import deadlines, services
from ..models import State
from .forms import AssignForm, InfoRequestForm, PreliminaryAnswerForm


class CaseActionsMixin:
    """For ``ProposalAdmin`` (a ``core.admin.ConfirmedActionsMixin``)."""

    @admin.action(
        description=_("Acknowledge with a preliminary answer"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def acknowledge(self, request, queryset):
        def run(objects, data):
            skipped = [p for p in objects if p.state != State.FORWARDED]
            if skipped:
                self.message_user(
                    request,
                    _("Skipped, because they are not newly forwarded: %(refs)s")
                    % {"refs": ", ".join(p.reference for p in skipped)},
                    messages.WARNING,
                )
            self.run_each(
                request,
                [p for p in objects if p.state == State.FORWARDED],
                lambda p: services.proposal_transition(
                    proposal=p,
                    actor=request.user,
                    to_state=State.RECEIVED,
                    message=data["message"],
                ),
                done_message=lambda n: (
                    ngettext(
                        "%(count)d proposal acknowledged with a preliminary answer.",
                        "%(count)d proposals acknowledged with a preliminary answer.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self.form_action(
            request,
            list(queryset),
            action="acknowledge",
            form_class=PreliminaryAnswerForm,
            title=_("Acknowledge with a preliminary answer"),
            submit_label=_("Send the preliminary answer"),
            intro=_(
                "Only proposals forwarded to the municipality and not yet acknowledged are "
                "acknowledged; the others are skipped."
            ),
            run=run,
        )

    @admin.action(
        description=_("Request more information from the committee"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def request_information(self, request, queryset):
        def run(objects, data):
            self.run_each(
                request,
                objects,
                lambda p: services.proposal_transition(
                    proposal=p,
                    actor=request.user,
                    to_state=State.INFO_REQUESTED,
                    message=data["question"],
                    due=data["due"],
                ),
                done_message=lambda n: (
                    ngettext(
                        "More information requested on %(count)d proposal.",
                        "More information requested on %(count)d proposals.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self.form_action(
            request,
            list(queryset),
            action="request_information",
            form_class=InfoRequestForm,
            title=_("Request more information from the committee"),
            submit_label=_("Send the question"),
            initial={"due": deadlines.info_due(timezone.localdate())},
            run=run,
        )

    @admin.action(description=_("Start the review"), permissions=["change"], location=BOTH_PLACES)
    def start_review(self, request, queryset):
        def run(objects):
            self.run_each(
                request,
                objects,
                lambda p: services.proposal_transition(
                    proposal=p, actor=request.user, to_state=State.IN_REVIEW
                ),
                done_message=lambda n: (
                    ngettext(
                        "The review of %(count)d proposal has started.",
                        "The review of %(count)d proposals has started.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self.confirmed_action(
            request,
            list(queryset),
            run=run,
            action="start_review",
            title=_("Start the review"),
            submit_label=_("Start the review"),
            intro=_("The proposals are marked as being considered by the municipality."),
        )

    @admin.action(
        description=_("Assign a case handler"), permissions=["change"], location=BOTH_PLACES
    )
    def assign(self, request, queryset):
        def run(objects, data):
            self.run_each(
                request,
                objects,
                lambda p: services.proposal_assign(
                    proposal=p,
                    actor=request.user,
                    handler=data["handler"],
                    department=data["department"],
                ),
                done_message=lambda n: (
                    ngettext("%(count)d proposal assigned.", "%(count)d proposals assigned.", n)
                    % {"count": n}
                ),
            )

        objects = list(queryset)
        initial = None
        if len(objects) == 1:
            initial = {"department": objects[0].department_id, "handler": objects[0].handler_id}
        return self.form_action(
            request,
            objects,
            action="assign",
            form_class=AssignForm,
            title=_("Assign a case handler"),
            submit_label=_("Assign"),
            initial=initial,
            run=run,
        )
