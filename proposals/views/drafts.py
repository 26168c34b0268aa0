"""The author writing a proposal: one form for new and changed drafts, a preview, submit, delete.

A draft is the author's alone: anyone else gets 404, as if it did not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees import selectors as committee_selectors
from committees.models import Committee

from .. import permissions, selectors, services
from ..forms import ProposalForm, apply_service_errors
from ..models import Attachment, Proposal

ACTION_PREVIEW = "preview"


def _draft_or_404(pk: int, user) -> Proposal:
    try:
        return selectors.draft_get_for_author(pk=pk, user=user)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _initial_committee(slug: str):
    """``?utvalg=<slug>`` (from a committee's page) preselects that committee."""
    if not slug:
        return None
    try:
        return committee_selectors.committee_get(slug=slug)
    except Committee.DoesNotExist:
        return None


def _save_with_attachments(save, *, files, actor) -> Proposal:
    """Save the draft and add its new attachments in one transaction: if one file is refused,
    nothing is saved (and no stored file is left behind)."""
    added = []
    try:
        with transaction.atomic():
            proposal = save()
            for uploaded_file in files:
                try:
                    added.append(
                        services.attachment_add(
                            proposal=proposal, actor=actor, uploaded_file=uploaded_file
                        )
                    )
                except ValidationError as error:
                    raise ValidationError({"attachments": error.messages}) from error
    except Exception:
        for attachment in added:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return proposal


def _after_save(request, proposal: Proposal, action: str):
    if action == ACTION_PREVIEW:
        return redirect("proposals:draft-preview", pk=proposal.pk)
    messages.success(
        request, _("The draft has been saved. Only you can see it until you submit it.")
    )
    return redirect("proposals:draft-edit", pk=proposal.pk)


def _form_page(request, form, proposal=None, status=200):
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "form": form,
            "proposal": proposal,
            "attachments": list(proposal.attachments.all()) if proposal else [],
            "limits": settings.PROPOSALS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_create(request):
    if not permissions.can_create_proposal(request.user):
        raise PermissionDenied
    if request.method != "POST":
        form = ProposalForm(
            initial={"committee": _initial_committee(request.GET.get("utvalg", ""))}
        )
        return _form_page(request, form)
    action = request.POST.get("action", "")
    form = ProposalForm(
        request.POST, request.FILES, require_complete=action == ACTION_PREVIEW, existing_count=0
    )
    if form.is_valid():
        try:
            proposal = _save_with_attachments(
                lambda: services.proposal_create_draft(author=request.user, **form.draft_fields()),
                files=form.cleaned_data["attachments"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _after_save(request, proposal, action)
    return _form_page(request, form, status=400)


def _remove_attachment(request, draft: Proposal):
    try:
        attachment = draft.attachments.get(pk=int(request.POST.get("remove_attachment", "")))
    except (ValueError, Attachment.DoesNotExist):
        raise Http404 from None
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("“%(name)s” has been removed.") % {"name": attachment.original_name}
        )
    if request.POST.get("return_to") == ACTION_PREVIEW:
        return redirect("proposals:draft-preview", pk=draft.pk)
    return redirect(reverse("proposals:draft-edit", kwargs={"pk": draft.pk}) + "#attachments")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request, pk):
    draft = _draft_or_404(pk, request.user)
    if not permissions.can_edit_draft(request.user, draft):
        raise Http404
    if request.method != "POST":
        return _form_page(request, ProposalForm(instance=draft), draft)
    if "remove_attachment" in request.POST:
        return _remove_attachment(request, draft)
    action = request.POST.get("action", "")
    form = ProposalForm(
        request.POST,
        request.FILES,
        instance=draft,
        require_complete=action == ACTION_PREVIEW,
        existing_count=len(draft.attachments.all()),
    )
    if form.is_valid():
        try:
            proposal = _save_with_attachments(
                lambda: services.proposal_update_draft(
                    proposal=draft, actor=request.user, **form.draft_fields()
                ),
                files=form.cleaned_data["attachments"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _after_save(request, proposal, action)
    return _form_page(request, form, draft, status=400)


@login_required
@require_safe
def draft_preview(request, pk):
    draft = _draft_or_404(pk, request.user)
    limits = settings.PROPOSALS
    return render(
        request,
        "proposals/draft_preview.html",
        {
            "proposal": draft,
            "attachments": list(draft.attachments.all()),
            "committee_days": limits["COMMITTEE_DAYS"],
            "preliminary_months": limits["PRELIMINARY_ANSWER_MONTHS"],
            "decision_days": limits["DECISION_DAYS"],
        },
    )


@login_required
@require_POST
def draft_submit(request, pk):
    draft = _draft_or_404(pk, request.user)
    try:
        proposal = services.proposal_submit(proposal=draft, actor=request.user)
    except ValidationError as error:
        messages.error(request, _("The proposal could not be submitted yet:"))
        labels = ProposalForm.Meta.labels
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                for text in ValidationError(errors).messages:
                    label = labels.get(name)
                    messages.error(request, f"{label}: {text}" if label else text)
        else:
            for text in error.messages:
                messages.error(request, text)
        return redirect("proposals:draft-edit", pk=draft.pk)
    messages.success(
        request,
        _(
            "Thank you! Your proposal has been submitted to %(committee)s with reference "
            "%(reference)s."
        )
        % {"committee": proposal.committee.name, "reference": proposal.reference},
    )
    return redirect(proposal.get_absolute_url())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_delete(request, pk):
    draft = _draft_or_404(pk, request.user)
    error = None
    if request.method == "POST":
        try:
            services.proposal_delete_draft(proposal=draft, actor=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The draft has been deleted."))
            return redirect("proposals:my-proposals")
    return render(
        request,
        "proposals/draft_confirm_delete.html",
        {"proposal": draft, "error": error},
        status=400 if error else 200,
    )
