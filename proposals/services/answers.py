"""Official answers: templates, drafts and publishing (which makes the decision)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import (
    AnswerTemplate,
    OfficialAnswer,
    Proposal,
    answer_problems,
)
from ..permissions import (
    is_municipal_staff,
)
from .transitions import proposal_transition

# The words an answer template may put in braces, each with what it is replaced by: the one
# list that filling a template and checking one (the admin's template form) both use.
TEMPLATE_PLACEHOLDERS = {
    "title": lambda proposal: proposal.title,
    "reference": lambda proposal: proposal.reference or "",
    "committee": lambda proposal: proposal.committee.name,
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def answer_template_problems(*, body: str) -> list[str]:
    """Why a template's text cannot be used (empty when it can): a word in braces that is not
    one of ``TEMPLATE_PLACEHOLDERS`` would be published as it stands."""
    unknown = [
        name
        for name in dict.fromkeys(PLACEHOLDER.findall(body or ""))
        if name not in TEMPLATE_PLACEHOLDERS
    ]
    if not unknown:
        return []
    return [
        ngettext(
            "Unknown placeholder: %(unknown)s. Only %(allowed)s can be used.",
            "Unknown placeholders: %(unknown)s. Only %(allowed)s can be used.",
            len(unknown),
        )
        % {
            "unknown": ", ".join(f"{{{name}}}" for name in unknown),
            "allowed": ", ".join(f"{{{name}}}" for name in TEMPLATE_PLACEHOLDERS),
        }
    ]


def answer_template_fill(*, template: AnswerTemplate, proposal: Proposal) -> str:
    """Fill in a template's ``TEMPLATE_PLACEHOLDERS``; other braces stay."""
    text = template.body
    for name, value in TEMPLATE_PLACEHOLDERS.items():
        text = text.replace(f"{{{name}}}", value(proposal))
    return text


# Text a template leaves to be written for each case, like "[skriv hvilke deler og hvorfor]".
FILL_IN_MARKER = re.compile(r"\[[^\]]+\]")


def answer_check_filled_in(*, body: str, proposal: Proposal) -> None:
    """An answer is not published with text in [brackets] left to fill in. Brackets in the
    proposal's own title or committee name (filled in from the template) are the resident's."""
    text = body or ""
    for own in (proposal.title, proposal.committee.name):
        text = text.replace(own, "") if own else text
    if FILL_IN_MARKER.search(text):
        raise ValidationError({"body": _("The answer still has text in [brackets] to fill in.")})


@transaction.atomic
def answer_save_draft(*, proposal: Proposal, actor, outcome: str, body: str) -> OfficialAnswer:
    if not is_municipal_staff(actor):
        raise ValidationError(_("Only municipal staff write official answers."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if problems := answer_problems(proposal):
        raise ValidationError(problems)
    answer = OfficialAnswer.objects.filter(proposal=proposal).first() or OfficialAnswer(
        proposal=proposal
    )
    if answer.is_published:
        raise ValidationError(_("The answer is already published."))
    answer.outcome = outcome
    answer.body = (body or "").strip()
    answer.author = actor
    answer.full_clean()
    answer.save()
    return answer


@transaction.atomic
def answer_publish(*, proposal: Proposal, actor) -> OfficialAnswer:
    """Publish the draft answer: the decision is made, the author and followers are told."""
    # The case first, then its answer: the order answer_save_draft and the transition lock in,
    # so a publish and a save of the same answer wait for each other instead of deadlocking.
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    answer = OfficialAnswer.objects.select_for_update().filter(proposal=proposal).first()
    if answer is None:
        raise ValidationError(_("Write the official answer before publishing it."))
    if answer.is_published:
        raise ValidationError(_("The answer is already published."))
    answer_check_filled_in(body=answer.body, proposal=answer.proposal)
    proposal_transition(proposal=proposal, actor=actor, to_state=answer.outcome, answer=answer)
    answer.published_at = timezone.now()
    answer.save(update_fields=["published_at", "updated_at"])
    return answer


def proposals_answer_with_template(
    *, proposals, actor, template: AnswerTemplate
) -> tuple[int, list[str]]:
    """Answer many cases with one template: each in its own transaction, so one that cannot be
    answered (already decided, say) does not stop the others. Returns (answered, problems)."""
    answered, problems = 0, []
    for proposal in proposals:
        try:
            with transaction.atomic():
                answer_save_draft(
                    proposal=proposal,
                    actor=actor,
                    outcome=template.outcome,
                    body=answer_template_fill(template=template, proposal=proposal),
                )
                answer_publish(proposal=proposal, actor=actor)
        except ValidationError as error:
            problems.append(f"{proposal.reference}: {' '.join(error.messages)}")
        else:
            answered += 1
    return answered, problems
