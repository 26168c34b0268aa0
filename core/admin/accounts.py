"""Who sees people's e-mail addresses in the admin: those who may change accounts (issue 10).

The account admin needs the change permission on the user model (the administrators' group and
superusers); a case handler is staff without it. Any other admin listing people (memberships,
supports, follows, notifications) would otherwise let a case handler type an address into the
search box and learn whether it has an account, and whose name and committees go with it.
``AccountFieldsMixin`` drops every lookup through an ``email`` field (and the model's own fields
that hold a person's address, ``private_address_fields``: a guest's) from the search, the columns,
the fields and the query string's filters unless the user may change accounts, and shows the people in ``account_fields`` by name
(``core.formatting.public_name``), never by address (a ``User`` without a name prints as its
address). The permission is read off the user model, so core names no app.
"""

from django.contrib import admin
from django.contrib.auth import get_permission_codename, get_user_model

from core.formatting import public_name


def accounts_permission() -> str:
    """The permission the account admin requires: change on the user model."""
    opts = get_user_model()._meta
    return f"{opts.app_label}.{get_permission_codename('change', opts)}"


def may_see_addresses(user) -> bool:
    """Whether ``user`` may see and search people's e-mail addresses in the admin."""
    return bool(user.is_active and user.is_staff and user.has_perm(accounts_permission()))


def is_address_lookup(lookup: str) -> bool:
    """``user__email``, ``memberships__user__email`` …: a person's address, reached through a
    relation. The object's own address (a committee's published ``contact_email``) is not."""
    parts = lookup.lstrip("=^@").split("__")
    return len(parts) > 1 and any("email" in part for part in parts)


def _name_column(model, field: str):
    description = model._meta.get_field(field).verbose_name

    @admin.display(description=description, ordering=f"{field}__full_name")
    def column(obj):
        return public_name(getattr(obj, field))

    column.__name__ = f"{field}_name"
    return column


class AccountFieldsMixin:
    """For a ``ModelAdmin`` whose rows name people: no search by e-mail address, and names, not
    addresses, in the list, for anyone who may not change accounts (a case handler).

    ``account_fields``: the foreign keys to the user shown in ``list_display``."""

    account_fields: tuple[str, ...] = ("user",)
    # The model's own fields that hold a person's address (a guest's), not a published one.
    private_address_fields: tuple[str, ...] = ()

    def _is_private_address(self, name: str) -> bool:
        return is_address_lookup(name) or (
            name.lstrip("=^@").split("__")[0] in self.private_address_fields
        )

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if may_see_addresses(request.user):
            return fields
        return [lookup for lookup in fields if not self._is_private_address(lookup)]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if may_see_addresses(request.user) or not self.private_address_fields:
            return fields
        return [name for name in fields if name not in self.private_address_fields]

    def lookup_allowed(self, lookup, value, request):
        """No filtering by a person's address in the query string either: Django allows any
        lookup on the model's own fields (``?guest_email__startswith=gro``), which would spell an
        address out letter by letter, or answer "is this address signed up?". Refused (a 400
        page) for anyone who may not see addresses: through a relation, or the model's own
        field holding a person's address (``private_address_fields``)."""
        if not may_see_addresses(request.user) and self._is_private_address(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if may_see_addresses(request.user):
            return columns
        return [
            _name_column(self.model, column) if column in self.account_fields else column
            for column in columns
            if column not in self.private_address_fields
        ]
