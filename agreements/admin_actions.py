""" "Lag avtaleutkast" in the proposals' review queue (the list and a case's own page), added
through ``proposals.admin_actions`` so proposals names nothing of ours. Registered in
``AgreementsConfig.ready``.

The action calls ``services.drafting.draft_from_proposal`` for each selected proposal, each in
its own transaction (``core.admin``'s ``run_each``: one the service refuses is reported with its
reason, the others are still drafted). A proposal without a department gets one from a form
first. One draft made: the case handler goes straight to it, to write its terms.
"""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BOTH_PLACES
from proposals import admin_actions

from .forms.manage import DraftFromProposalForm
from .permissions import can_draft_agreements


def _may_draft(request) -> bool:
    return can_draft_agreements(request.user)


@admin.action(description=_("Make a draft agreement"), location=BOTH_PLACES)
def make_draft_agreement(modeladmin, request, queryset):
    # Imported here: the services import notifications', which must not load while the apps
    # are getting ready (its templates load every template tag library, ours among them).
    from .services.drafting import draft_from_proposal
    from .views.manage import admin_url

    objects = list(queryset)
    made = []

    def run(objects, department=None):
        modeladmin.run_each(
            request,
            objects,
            lambda proposal: made.append(
                draft_from_proposal(proposal=proposal, actor=request.user, department=department)
            ),
            done_message=lambda n: (
                ngettext("%(count)d draft agreement made.", "%(count)d draft agreements made.", n)
                % {"count": n}
            ),
        )

    if all(proposal.department_id for proposal in objects):
        run(objects)
    else:
        response = modeladmin.form_action(
            request,
            objects,
            action="make_draft_agreement",
            form_class=DraftFromProposalForm,
            title=_("Make a draft agreement"),
            submit_label=_("Make the draft"),
            intro=_(
                "Some of the proposals are not assigned to a department. Choose the department "
                "that is party to their agreements."
            ),
            run=lambda objects, data: run(objects, data["department"]),
        )
        if response is not None:
            return response
    if len(made) == 1:
        return HttpResponseRedirect(admin_url(made[0]))
    return None


def register() -> None:
    admin_actions.register(make_draft_agreement, allowed=_may_draft)
