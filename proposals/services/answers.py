"""Official answers: templates, drafts and publishing (which makes the decision)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    MUNICIPAL_STATES,
    AnswerTemplate,
    OfficialAnswer,
    Proposal,
)
from ..permissions import (
    is_municipal_staff,
)
from .transitions import proposal_transition


def answer_template_fill(*, template: AnswerTemplate, proposal: Proposal) -> str:
    """Fill a template's ``{title}``, ``{reference}`` and ``{committee}``; other braces stay."""
    values = {
        "{title}": proposal.title,
        "{reference}": proposal.reference or "",
        "{committee}": proposal.committee.name,
    }
    text = template.body
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
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
    if proposal.state not in MUNICIPAL_STATES:
        raise ValidationError(_("Only a case at the municipality can be answered."))
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
