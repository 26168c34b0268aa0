"""An agreement's services, one module per domain (Zulip's actions): its life
(``lifecycle``), its terms and their lines (``terms``), signing (``signing``), payments
(``payments``), reports (``reports``) and renewal (``renewal``). Every state change goes
through one of these functions; views, the admin and tasks only call them."""

from .lifecycle import (  # noqa: F401
    agreement_create,
    agreement_create_from_proposal,
    agreement_send,
    agreement_terminate,
    agreement_transition,
)
from .payments import payment_mark_paid, payment_plan_generate  # noqa: F401
from .renewal import agreement_renew, agreements_follow_up  # noqa: F401
from .reports import report_approve, report_return, report_submit  # noqa: F401
from .signing import agreement_activate, agreement_sign, void_signatures  # noqa: F401
from .terms import (  # noqa: F401
    agreement_update,
    duty_delete,
    duty_save,
    payment_plan_delete,
    payment_plan_save,
    provision_delete,
    provision_save,
    task_delete,
    task_save,
)
