"""Signing: an explicit act by a named person with authority, after re-entering the password,
recording who, when and the SHA-256 of the exact terms they saw (``agreements.terms``).

The committee's leader signs first (sent → signed by the committee), then a case handler of the
agreement's department with the right to sign for it (→ signed by both; in force at once when
its first day has come, else on that day by the daily follow-up, :func:`agreement_activate`).
A change of terms voids every signature given on other terms (:func:`void_signatures`).

Why each check is here and not in a view: the service is the authority whoever calls it (the
committee's page, the admin, a test). The agreement's row is locked first, so two people
signing at once are one after the other: the second finds the agreement signed already. The
database's one-valid-signature-per-party constraint is the backstop.
"""

import logging
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Agreement, AgreementEvent, Party, Signature, State
from ..permissions import can_sign_for_committee, can_sign_for_municipality
from ..terms import terms_hash
from .lifecycle import agreement_transition, lock, record

logger = logging.getLogger(__name__)

# Who signs in which state, and the state their signature takes the agreement to.
SIGNING_STEPS = {
    Party.COMMITTEE: (State.SENT, State.SIGNED_COMMITTEE),
    Party.MUNICIPALITY: (State.SIGNED_COMMITTEE, State.SIGNED_MUNICIPALITY),
}
AUTHORITY = {
    Party.COMMITTEE: can_sign_for_committee,
    Party.MUNICIPALITY: can_sign_for_municipality,
}
ROLE_MAX_LENGTH = Signature._meta.get_field("signer_role").max_length
PHONE_MAX_LENGTH = Signature._meta.get_field("signer_phone").max_length
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{4,28}$")
# The code a wrong password's error carries: the views count it as a failed attempt.
WRONG_PASSWORD = "wrong_password"  # noqa: S105 (an error code, not a password)


def awaits_signature_of(agreement: Agreement) -> str:
    """The party whose signature the agreement waits for ("" when it waits for none)."""
    for party, (state, _target) in SIGNING_STEPS.items():
        if agreement.state == state:
            return party
    return ""


def may_sign(user, agreement: Agreement, party: str) -> bool:
    """Whether ``user`` has the authority to sign ``agreement`` for ``party`` (whatever its
    state): the committee's leader, or a case handler of its department who may sign."""
    check = AUTHORITY.get(party)
    return bool(check and check(user, agreement))


def _clean_details(*, role: str, phone: str) -> tuple[str, str]:
    role, phone = (role or "").strip(), (phone or "").strip()
    errors = {}
    if "\x00" in role or len(role) > ROLE_MAX_LENGTH:
        errors["role"] = _("Write the role in at most %(n)d characters.") % {"n": ROLE_MAX_LENGTH}
    if phone and not PHONE_PATTERN.match(phone):
        errors["phone"] = _("Write a phone number with digits only, e.g. +47 33 17 10 00.")
    if errors:
        raise ValidationError(errors)
    return role, phone


def _check_password(actor, password) -> None:
    if not password or "\x00" in password or not actor.check_password(password):
        raise ValidationError(
            {"password": ValidationError(_("The password is not right."), code=WRONG_PASSWORD)}
        )


@transaction.atomic
def agreement_sign(
    *,
    agreement: Agreement,
    actor,
    party: str,
    password: str,
    terms_sha256: str,
    role: str = "",
    phone: str = "",
) -> Signature:
    """``actor`` signs ``agreement`` for ``party`` on the terms whose hash they were shown.

    Refused (``ValidationError``; nothing is written) unless: ``actor`` has the authority
    (:func:`may_sign`), the agreement waits for this party's signature (the committee's in
    "sent", the municipality's in "signed by the committee"), ``password`` is the actor's own
    (an error on ``password`` with the code ``WRONG_PASSWORD``) and ``terms_sha256`` is the
    current terms' hash (else the terms changed while they read them).

    Records the signature and a "signed" line on the timeline and takes the step. The second
    signature sets ``signed_at``, tells the origin proposal, and brings the agreement into force
    at once when its first day has come."""
    agreement = lock(agreement)
    if party not in SIGNING_STEPS or not may_sign(actor, agreement, party):
        raise ValidationError(_("You are not allowed to sign this agreement for this party."))
    source, target = SIGNING_STEPS[party]
    if agreement.state != source:
        if Signature.objects.filter(agreement=agreement, party=party, voided_at=None).exists():
            raise ValidationError(_("The agreement has already been signed for this party."))
        if party == Party.MUNICIPALITY and agreement.state == State.SENT:
            raise ValidationError(_("The committee signs first; then the municipality."))
        raise ValidationError(
            _("The agreement is “%(state)s”: it is not waiting for this signature.")
            % {"state": agreement.get_state_display()}
        )
    _check_password(actor, password)
    role, phone = _clean_details(role=role, phone=phone)
    current = terms_hash(agreement)
    if (terms_sha256 or "").strip().lower() != current:
        raise ValidationError(
            _(
                "The terms changed while you read them: read them again before you sign. "
                "Nothing has been signed."
            ),
            code="terms_changed",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                agreement=agreement,
                party=party,
                signer=actor,
                signer_name=actor.get_full_name(),
                signer_role=role,
                signer_phone=phone,
                signed_at=now,
                terms_sha256=current,
            )
    except IntegrityError:
        # The lock makes this unreachable in practice; the constraint says the same if not.
        raise ValidationError(_("The agreement has already been signed for this party.")) from None
    record(
        agreement,
        kind=AgreementEvent.Kind.SIGNED,
        actor=actor,
        party=party,
        message=", ".join(part for part in (signature.signer_name, role) if part),
    )

    def both_signed(*, agreement, step, party, message):
        agreement.signed_at = now

    agreement = agreement_transition(
        agreement=agreement,
        actor=actor,
        to_state=target,
        parties={party},
        change=both_signed if target == State.SIGNED_MUNICIPALITY else None,
    )
    if target == State.SIGNED_MUNICIPALITY:
        _tell_the_proposal_signed(agreement, actor=actor)
        if agreement.starts_on <= timezone.localdate():
            agreement_activate(agreement=agreement, actor=actor)
    return signature


def agreement_activate(*, agreement: Agreement, actor=None) -> Agreement:
    """A signed agreement comes into force (signed by both → active, the portal's step): at
    once at the second signature when its first day has come, else on that day (the daily
    follow-up calls this, ``actor`` None). The origin proposal's case is completed."""
    with transaction.atomic():
        agreement = lock(agreement)
        today = timezone.localdate()
        if agreement.starts_on > today:
            raise ValidationError(
                _("The agreement comes into force on its first day, %(day)s.")
                % {"day": date_format(agreement.starts_on, "SHORT_DATE_FORMAT")}
            )
        agreement = agreement_transition(
            agreement=agreement, actor=actor, to_state=State.ACTIVE, parties={Party.SYSTEM}
        )
        if agreement.origin_proposal_id is not None:
            from proposals import services as proposal_services

            _on_the_proposal(
                agreement,
                lambda proposal, who: proposal_services.proposal_follow_up_done(
                    proposal=proposal, actor=who
                ),
                actor=actor,
            )
    return agreement


def _tell_the_proposal_signed(agreement: Agreement, *, actor) -> None:
    """The origin proposal's public timeline says the agreement was signed, and its case is in
    progress; its followers hear of it by the step's own notice (``steps.FROM_PROPOSAL``)."""
    if agreement.origin_proposal_id is None:
        return
    from proposals import services as proposal_services

    message = _("Agreement %(number)s “%(title)s” has been signed by both parties.") % {
        "number": agreement.number,
        "title": agreement.title,
    }
    _on_the_proposal(
        agreement,
        lambda proposal, who: proposal_services.proposal_followed_up(
            proposal=proposal, actor=who, message=message
        ),
        actor=actor,
    )


def _on_the_proposal(agreement: Agreement, do, *, actor) -> None:
    """``do(proposal, actor)`` in a savepoint. The proposal's steps need a person: the actor,
    else (the portal itself) the municipality's signatory. A proposal that cannot take the step
    (moved on by hand, or its signatory no longer staff) must not stop the agreement: it is
    logged, and the agreement goes on."""
    who = actor
    if who is None:
        signature = (
            Signature.objects.filter(
                agreement=agreement, party=Party.MUNICIPALITY, voided_at__isnull=True
            )
            .select_related("signer")
            .first()
        )
        who = signature.signer if signature is not None else None
    if who is None:
        logger.warning("Agreement %s: nobody to take its proposal's step.", agreement.number)
        return
    try:
        with transaction.atomic():
            do(agreement.origin_proposal, who)
    except ValidationError as error:
        logger.warning(
            "Agreement %s: its proposal %s did not take the step: %s",
            agreement.number,
            agreement.origin_proposal_id,
            " ".join(error.messages),
        )


def void_signatures(*, agreement: Agreement, actor, terms_sha256: str) -> int:
    """Void the valid signatures on terms other than ``terms_sha256``; an agreement signed by the
    committee goes back for signing (both parties are told by the step). Returns how many."""
    voided = list(
        Signature.objects.filter(agreement=agreement, voided_at__isnull=True).exclude(
            terms_sha256=terms_sha256
        )
    )
    if not voided:
        return 0
    now = timezone.now()
    Signature.objects.filter(pk__in=[s.pk for s in voided]).update(voided_at=now)
    for signature in voided:
        record(
            agreement,
            kind=AgreementEvent.Kind.SIGNATURE_VOIDED,
            actor=actor,
            party=Party.MUNICIPALITY,
            message=signature.signer_name,
        )
    if agreement.state == State.SIGNED_COMMITTEE:
        agreement_transition(
            agreement=agreement, actor=actor, to_state=State.SENT, parties={Party.SYSTEM}
        )
    return len(voided)
