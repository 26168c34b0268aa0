"""The admin machinery every app's admin uses: saves and actions that go through services.

- ``ServiceBackedAdminMixin``: the change page saves through services, never ``obj.save()``;
  a service's ``ValidationError`` shows on the form, and nothing is half-saved.
- ``ConfirmedActionsMixin``: actions with an intermediate page (a form, a preview, then
  confirm or back), run from the list or from one object's page (``BOTH_PLACES``), each object
  in its own transaction (``run_each``).
- ``ReadOnlyAdmin``, ``ReadOnlyInline``: records the services write, shown, never edited here.
- ``AccountFieldsMixin``: lists that name people search and show them by name, not by e-mail
  address, for anyone who may not change accounts (``may_see_addresses``).
- ``SafeLookupsMixin``: crafted list filters and autocomplete values give the admin's own
  answers, not a 500 (both mixins above include it).

The CSV export action is ``core.export.csv_export_action``.
"""

from .accounts import AccountFieldsMixin, may_see_addresses
from .actions import (
    BOTH_PLACES,
    CONFIRMATION_TEMPLATE,
    ConfirmedActionsMixin,
    ServiceActionsMixin,
    counted,
)
from .lookups import SafeLookupsMixin
from .readonly import INLINE_LIMIT, LatestFirstFormSet, ReadOnlyAdmin, ReadOnlyInline
from .services import ServiceBackedAdminMixin

__all__ = [
    "AccountFieldsMixin",
    "BOTH_PLACES",
    "CONFIRMATION_TEMPLATE",
    "INLINE_LIMIT",
    "ConfirmedActionsMixin",
    "LatestFirstFormSet",
    "ReadOnlyAdmin",
    "ReadOnlyInline",
    "SafeLookupsMixin",
    "ServiceActionsMixin",
    "ServiceBackedAdminMixin",
    "counted",
    "may_see_addresses",
]
