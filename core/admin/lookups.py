"""What a crafted admin URL or form may carry without giving a 500: Django's admin trusts two
kinds of input it should not (found by the fuzz, tests/fuzz).

- A ``date_hierarchy`` year the calendar cannot hold (``?created_at__year=99999999999999999999``)
  raised OverflowError (Django catches only ValueError there; Django ticket #37357). It is now
  a bad lookup like any other: the admin's own "?e=1" redirect to the plain list.
- An autocomplete field posted with a value that is not a key (``user=abc``) raised ValueError
  while the form with its errors was drawn again: the widget looked up the posted value as
  given. The widget now leaves out values that cannot be a key; the field's own validation
  still says "Select a valid choice".

Every ModelAdmin and inline with an autocomplete field or a date hierarchy takes
``SafeLookupsMixin`` first among its bases.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import router


class _KeysOnlyMixin:
    """Draw only the selected values that can be the related model's key."""

    def _could_be_key(self, value) -> bool:
        if value in (None, ""):
            return True
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        if "\x00" in str(value):
            return False
        try:
            to_field.get_prep_value(to_field.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        return True

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._could_be_key(v)], attr)


class SafeAutocompleteSelect(_KeysOnlyMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_KeysOnlyMixin, AutocompleteSelectMultiple):
    pass


class SafeLookupsMixin:
    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:  # ValueError: "year 10000 is out of range"
            raise IncorrectLookupParameters(error) from error

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using") or router.db_for_read(db_field.remote_field.model)
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=db)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using") or router.db_for_read(db_field.remote_field.model)
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=db)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
