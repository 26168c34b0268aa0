"""The review queue's decisions: an official answer written for the case or from a template,
previewed for each case exactly as it will be published, then published with the decision."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BOTH_PLACES

from .. import services
from ..models import AnswerTemplate, State, answer_problems
from .forms import DecideForm, TemplateForm


class DecisionActionsMixin:
    """For ``ProposalAdmin`` (a ``core.admin.ConfirmedActionsMixin``)."""

    def answer_preview(self, objects, body: str) -> list[dict]:
        """The text each case would be published with (``body`` filled in for it). Raises the
        services' refusal (text left in [brackets]) when a case cannot be published so."""
        items, refused = [], None
        for proposal in objects:
            text = services.answer_template_fill(
                template=AnswerTemplate(body=body), proposal=proposal
            )
            problem = " ".join(answer_problems(proposal))
            if not problem:
                try:
                    services.answer_check_filled_in(body=text, proposal=proposal)
                except ValidationError as error:
                    refused = error
            items.append({"label": self.object_label(proposal), "text": text, "problem": problem})
        if refused is not None:
            raise refused
        return items

    def _answer_action(self, request, objects, *, form_class, answer, publish, **page):
        """``answer(cleaned_data)`` gives the decision and the text (with its placeholders) to
        preview; ``publish(objects, cleaned_data)`` runs only on the preview's "Publish"."""

        def preview(objects, data):
            outcome, body = answer(data)
            return {
                "preview": self.answer_preview(objects, body),
                "preview_outcome": State(outcome).label,
            }

        return self.previewed_action(
            request,
            objects,
            form_class=form_class,
            preview=preview,
            confirm=publish,
            preview_intro=_(
                "Check the answer for each proposal. Nothing is published until you press "
                "“Publish”; then the author, the followers and the committee are told."
            ),
            confirm_label=_("Publish"),
            **page,
        )

    @admin.action(
        description=_("Decide with an official answer"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def decide(self, request, queryset):
        objects = list(queryset)
        labels = {
            "action": "decide",
            "title": _("Decide with an official answer"),
            "submit_label": _("Preview"),
            "intro": _(
                "The answer is published with the decision; the author, the followers and the "
                "committee are told. You see the text for each proposal before it is published."
            ),
            "extra": {"prefill_label": _("Fill in the template")},
        }
        if "_prefill" in request.POST:
            form = DecideForm(request.POST, prefill=True)
            if form.is_valid() and form.cleaned_data["template"] is None:
                form.add_error("template", _("Choose a template to fill in."))
            if form.is_valid():
                template = form.cleaned_data["template"]
                # One case: its own text to edit. Several: the placeholders stay, each is filled
                # in for its case (and shown) before publishing.
                body = (
                    services.answer_template_fill(template=template, proposal=objects[0])
                    if len(objects) == 1
                    else template.body
                )
                form = DecideForm(
                    initial={
                        "outcome": form.cleaned_data["outcome"],
                        "template": template.pk,
                        "body": body,
                    }
                )
            return self.confirmation_page(request, objects, form=form, **labels)

        def publish(objects, data):
            def decide_one(proposal):
                text = services.answer_template_fill(
                    template=AnswerTemplate(body=data["body"]), proposal=proposal
                )
                services.answer_save_draft(
                    proposal=proposal, actor=request.user, outcome=data["outcome"], body=text
                )
                services.answer_publish(proposal=proposal, actor=request.user)

            self.run_each(
                request,
                objects,
                decide_one,
                done_message=lambda n: (
                    ngettext(
                        "%(count)d proposal decided and its answer published.",
                        "%(count)d proposals decided and their answers published.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self._answer_action(
            request,
            objects,
            form_class=DecideForm,
            answer=lambda data: (data["outcome"], data["body"]),
            publish=publish,
            **labels,
        )

    @admin.action(
        description=_("Answer with a template"), permissions=["change"], location=BOTH_PLACES
    )
    def answer_with_template(self, request, queryset):
        def publish(objects, data):
            answered, problems = services.proposals_answer_with_template(
                proposals=objects, actor=request.user, template=data["template"]
            )
            for problem in problems:
                self.message_user(request, problem, messages.ERROR)
            if answered:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d proposal answered.", "%(count)d proposals answered.", answered
                    )
                    % {"count": answered},
                    messages.SUCCESS,
                )

        return self._answer_action(
            request,
            list(queryset),
            action="answer_with_template",
            form_class=TemplateForm,
            title=_("Answer with a template"),
            submit_label=_("Preview"),
            intro=_(
                "Each proposal is decided and answered on its own; one that cannot be answered "
                "does not stop the others. You see the text for each proposal before it is "
                "published."
            ),
            answer=lambda data: (data["template"].outcome, data["template"].body),
            publish=publish,
        )
