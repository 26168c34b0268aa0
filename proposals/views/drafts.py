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
from core.forms import apply_service_errors

from .. import permissions, selectors, services
from ..forms import FILES_NOT_KEPT, ProposalForm
from ..models import Attachment, Proposal
from ..steps import SUBMIT

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


def _save_with_attachments(save, *, files, actor, remove: Attachment | None = None) -> Proposal:
    """Save the draft, remove the attachment ``remove`` and add the new attachments in one
    transaction: if one file is refused, nothing is saved (and no stored file is left behind)."""
    added = []
    try:
        with transaction.atomic():
            proposal = save()
            if remove is not None:
                services.attachment_remove(attachment=remove, actor=actor)
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


def _note_files_not_kept(request, form) -> None:
    """A browser cannot fill in a file input again: when the form comes back with errors, files
    the resident chose (even good ones) are gone, so say so on the attachments field."""
    if not (form.is_bound and form.errors and request.FILES.getlist("attachments")):
        return
    if str(FILES_NOT_KEPT) not in form.errors.get("attachments", []):
        form.add_error("attachments", str(FILES_NOT_KEPT))


def _form_page(request, form, proposal=None, status=200):
    _note_files_not_kept(request, form)
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


def _attachment_of(request, draft: Proposal) -> Attachment:
    try:
        return draft.attachments.get(pk=int(request.POST.get("remove_attachment", "")))
    except (ValueError, Attachment.DoesNotExist):
        raise Http404 from None


def _removed_message(attachment: Attachment) -> str:
    return _("“%(name)s” has been removed.") % {"name": attachment.original_name}


def _remove_attachment(request, attachment: Attachment, *, more: str = "") -> None:
    """Remove one attachment on its own; tell the resident how it went."""
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, " ".join(filter(None, [_removed_message(attachment), more])))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request, pk):
    """The edit form. Its "Remove" buttons submit the whole form (``remove_attachment``), so
    what the resident changed in the other fields is saved with the removal, not lost."""
    draft = _draft_or_404(pk, request.user)
    if not permissions.can_edit_draft(request.user, draft):
        raise Http404
    if request.method != "POST":
        return _form_page(request, ProposalForm(instance=draft), draft)
    removing = _attachment_of(request, draft) if "remove_attachment" in request.POST else None
    if removing is not None and request.POST.get("return_to") == ACTION_PREVIEW:
        # The preview's own small form: nothing else to save.
        _remove_attachment(request, removing)
        return redirect("proposals:draft-preview", pk=draft.pk)
    remove_pk = removing.pk if removing is not None else None
    action = "" if removing is not None else request.POST.get("action", "")
    existing_count = len(draft.attachments.all()) - (1 if removing is not None else 0)
    form = ProposalForm(
        request.POST,
        request.FILES,
        instance=draft,
        require_complete=action == ACTION_PREVIEW,
        existing_count=existing_count,
    )
    if form.is_valid():
        try:
            proposal = _save_with_attachments(
                lambda: services.proposal_update_draft(
                    proposal=draft, actor=request.user, **form.draft_fields()
                ),
                files=form.cleaned_data["attachments"],
                actor=request.user,
                remove=removing,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if removing is None:
                return _after_save(request, proposal, action)
            messages.success(
                request,
                f"{_removed_message(removing)} {_('Your other changes have been saved.')}",
            )
            return redirect(
                reverse("proposals:draft-edit", kwargs={"pk": draft.pk}) + "#attachments"
            )
    if removing is not None:
        # The removal was asked for; the other changes wait until the errors are corrected.
        # (Fetched again: a rolled-back delete leaves the instance without its pk.)
        if attachment := draft.attachments.filter(pk=remove_pk).first():
            _remove_attachment(
                request, attachment, more=_("Correct the errors below to save your other changes.")
            )
        draft = _draft_or_404(pk, request.user)  # the list without it
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
            "submit_label": SUBMIT.button_label,
        },
    )


@login_required
@require_POST
def draft_submit(request, pk):
    already = selectors.proposal_submitted_by_author(pk=pk, user=request.user)
    if already is not None:
        # A second click on "Submit" (or a second tab): the first one went through.
        messages.info(request, _("The proposal has already been submitted."))
        return redirect(already.get_absolute_url())
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
        str(SUBMIT.done) % {"committee": proposal.committee.name, "reference": proposal.reference},
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
