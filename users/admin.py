"""The account admin, for administrators only.

Case handlers are staff too, but every account's e-mail address is none of their cases' business
(issue 10): the pages here need ``users.change_user`` (the administrators' group and superusers),
even for viewing, so a view permission given by hand opens nothing. What a case handler's work
does need is on the cases' own admin pages (the author, the case handler picked from
``case_handlers``), and one thing more, picking a person for a committee's board in the
committee admin: that autocomplete answers them only for a full e-mail address they already know
and lists no one by a part of one (:meth:`UserAdmin.get_search_results`).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


def administers_accounts(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("users.change_user")


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")


def _may_edit_the_picking_form(request) -> bool:
    """The autocomplete serves a form field on another model's admin page (``app_label`` and
    ``model_name`` name it): whoever may add or change that model may pick a person for it."""
    try:
        model = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
    except (LookupError, ValueError):
        return False
    opts = model._meta
    return any(
        request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("add", "change")
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "preferred_language",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def has_module_permission(self, request):
        return administers_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        if administers_accounts(request.user):
            return super().has_view_permission(request, obj)
        return obj is None and _is_autocomplete(request) and _may_edit_the_picking_form(request)

    def has_change_permission(self, request, obj=None):
        return administers_accounts(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return administers_accounts(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return administers_accounts(request.user) and super().has_delete_permission(request, obj)

    def get_search_results(self, request, queryset, search_term):
        """Administrators search by any part of a name or address; anyone else (a case handler
        picking a board member) finds a person only by the whole address, so the list of
        accounts cannot be read off it letter by letter."""
        if administers_accounts(request.user):
            return super().get_search_results(request, queryset, search_term)
        address = search_term.strip()
        return (queryset.filter(email__iexact=address) if address else queryset.none()), False
