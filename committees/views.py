"""Committee pages: plain views that check permission, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import apply_service_errors

from . import invitation_services, permissions, selectors, services
from .forms import CommitteeDetailsForm, MembershipAddForm, MembershipForm
from .models import BoardInvitation, Committee, InvitationStatus, Membership


def board_add_message(email: str) -> str:
    """The one answer to "add board member", whatever the address."""
    return _(
        "The invitation has been sent to %(email)s. The person joins the board when they accept it."
    ) % {"email": email}


def _committee_or_404(slug: str) -> Committee:
    try:
        return selectors.committee_get(slug=slug)
    except Committee.DoesNotExist:
        raise Http404 from None


def _membership_or_404(committee: Committee, pk: int) -> Membership:
    try:
        return selectors.membership_get(committee=committee, pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None


@login_required
@require_safe
def membership_list(request):
    """Min side → Mine utvalg: what the person follows and where they sit on the board."""
    memberships = selectors.membership_list_for_user(user=request.user)
    return render(request, "committees/membership_list.html", {"memberships": memberships})


@require_safe
def committee_list(request):
    committees = selectors.committee_list_top_level()
    return render(request, "committees/committee_list.html", {"committees": committees})


@require_safe
def committee_detail(request, slug):
    try:
        committee = selectors.committee_get_for_page(slug=slug)
    except Committee.DoesNotExist:
        raise Http404 from None
    board = selectors.board_sorted(committee.current_board)
    can_edit = permissions.can_edit_committee(request.user, committee)
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "board": board,
            "coverage": selectors.board_group_coverage(board),
            "my_membership": selectors.membership_current_for_user(
                user=request.user, committee=committee
            ),
            "can_edit": can_edit,
            # Only the leader sees whom they have invited (addresses, never on the public page).
            "invitations": (
                selectors.board_invitations_pending(committee=committee)
                if permissions.can_manage_board(request.user, committee)
                else []
            ),
        },
    )


def _toggle_follow(request, slug, *, service, message):
    """Follow or unfollow. htmx swaps the button in place (its text says what happened);
    without JavaScript the page reloads with a message."""
    committee = _committee_or_404(slug)
    if not permissions.can_follow_committee(request.user, committee):
        raise PermissionDenied
    service(committee=committee, user=request.user)
    if request.htmx:
        my_membership = selectors.membership_current_for_user(
            user=request.user, committee=committee
        )
        return render(
            request,
            "committees/_follow.html",
            {"committee": committee, "my_membership": my_membership},
        )
    messages.success(request, message % {"name": committee.name})
    return redirect(committee)


@login_required
@require_POST
def committee_follow(request, slug):
    return _toggle_follow(
        request, slug, service=services.committee_follow, message=_("You now follow %(name)s.")
    )


@login_required
@require_POST
def committee_unfollow(request, slug):
    return _toggle_follow(
        request,
        slug,
        service=services.committee_unfollow,
        message=_("You no longer follow %(name)s."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee_edit(request, slug):
    committee = _committee_or_404(slug)
    if not permissions.can_edit_committee(request.user, committee):
        raise PermissionDenied
    # Bound on every POST, also an empty one: `request.POST or None` would read it as no
    # submission at all.
    form = CommitteeDetailsForm(
        request.POST if request.method == "POST" else None, instance=committee
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_update_details(
                committee=selectors.committee_get(slug=slug),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The committee page has been updated."))
            return redirect(committee)
    return render(request, "committees/committee_edit.html", {"committee": committee, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_add(request, slug):
    committee = _committee_or_404(slug)
    if not permissions.can_manage_board(request.user, committee):
        raise PermissionDenied
    form = MembershipAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_services.board_invitation_create(
                committee=committee, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Always an invitation, and always these words: the form tells nobody who has an
            # account, and nobody is on the board before they have said yes.
            messages.success(request, board_add_message(form.cleaned_data["email"]))
            return redirect(committee)
    return render(
        request, "committees/membership_form.html", {"committee": committee, "form": form}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_edit(request, slug, pk):
    committee = _committee_or_404(slug)
    if not permissions.can_manage_board(request.user, committee):
        raise PermissionDenied
    membership = _membership_or_404(committee, pk)
    form = MembershipForm(
        request.POST if request.method == "POST" else None,
        instance=membership,
        actor=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=_membership_or_404(committee, pk),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The membership has been updated."))
            return redirect(committee)
    return render(
        request,
        "committees/membership_form.html",
        {"committee": committee, "form": form, "membership": membership},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def membership_end(request, slug, pk):
    committee = _committee_or_404(slug)
    if not permissions.can_manage_board(request.user, committee):
        raise PermissionDenied
    membership = _membership_or_404(committee, pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_end(membership=membership, actor=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("The membership of %(name)s has ended.") % {"name": membership.user}
            )
            return redirect(committee)
    return render(
        request,
        "committees/membership_end.html",
        {"committee": committee, "membership": membership, "error": error},
        status=400 if error else 200,
    )


# --- Board invitations ----------------------------------------------------------------------------


def _answered_message(invitation: BoardInvitation, *, accepted: bool) -> str:
    values = {"committee": invitation.committee.name, "role": invitation.get_role_display()}
    if accepted:
        return _("Welcome to the board of %(committee)s. Your role is %(role)s.") % {
            **values,
            "role": values["role"].lower(),
        }
    return _("You have declined the invitation to the board of %(committee)s.") % values


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_answer(request, slug, token):
    """The invitee's page: what joining means, and Accept / Decline. Only for the person whose
    confirmed address the invitation was sent to (anyone else: 403 with a clear message)."""
    committee = _committee_or_404(slug)
    try:
        invitation = selectors.board_invitation_get(committee=committee, token=token)
    except BoardInvitation.DoesNotExist:
        raise Http404 from None
    context = {"committee": committee, "invitation": invitation}
    if not selectors.address_is_users(user=request.user, email=invitation.email):
        context["refusal"] = invitation_services.NOT_YOURS_MESSAGE
        return render(request, "committees/invitation_answer.html", context, status=403)
    errors, status = [], 200
    if request.method == "POST":
        answer = request.POST.get("answer")
        service = {
            "accept": invitation_services.board_invitation_accept,
            "decline": invitation_services.board_invitation_decline,
        }.get(answer)
        if service is None:
            errors, status = [_("Choose whether you accept or decline the invitation.")], 400
        else:
            try:
                service(invitation=invitation, user=request.user)
            except ValidationError as error:
                invitation.refresh_from_db()
                if invitation.status == InvitationStatus.ACCEPTED and answer == "accept":
                    # A double click or a second tab: the first one added them.
                    messages.info(request, _("You have already accepted this invitation."))
                    return redirect(committee)
                errors, status = error.messages, 400
            else:
                messages.success(
                    request, _answered_message(invitation, accepted=answer == "accept")
                )
                return redirect(committee)
    problem = invitation_services.invitation_state_problem(invitation)
    context.update(
        errors=errors,
        closed=problem.messages[0] if problem is not None else "",
        inviter=invitation.invited_by,
    )
    return render(request, "committees/invitation_answer.html", context, status=status)


@login_required
@require_POST
def invitation_withdraw(request, slug, pk):
    committee = _committee_or_404(slug)
    if not permissions.can_manage_board(request.user, committee):
        raise PermissionDenied
    try:
        invitation = selectors.board_invitation_get(committee=committee, pk=pk)
    except BoardInvitation.DoesNotExist:
        raise Http404 from None
    try:
        invitation_services.board_invitation_withdraw(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect(committee)
