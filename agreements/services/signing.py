"""Signing: an explicit act by a named person with authority, after re-entering the password,
recording who, when and the SHA-256 of the exact terms they saw (``agreements.terms``).

The committee's leader signs first (sent → signed by the committee), then a case handler with
the right to sign for the department (→ signed by both; in force at once when its first day has
come). A change of terms voids every signature given on other terms (:func:`void_signatures`).
"""

from django.utils import timezone

from ..models import Agreement, AgreementEvent, Party, Signature, State
from .lifecycle import agreement_transition, record


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
