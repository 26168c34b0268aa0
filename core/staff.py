"""The municipality's staff groups, assembled from what each app declares about itself.

Each app lists, on its ``AppConfig``, which of its own model permissions each staff role needs::

    staff_permissions = {CASE_HANDLER: ["view_committee", "change_committee"], ADMINISTRATOR: ALL}

The top of the project (its configuration package) collects every app's declaration and calls
:func:`ensure_staff_groups` after each ``migrate`` and ``flush`` (a ``post_migrate`` receiver), so
no app names another app's permissions, no migration imports another app's code, and a new app
(dugnads, agreements) joins the groups by declaring its own list.

The group names live here, once; everything else (the staff rule in ``committees``, the demo data,
tests) reads them through :func:`group_name`.
"""

from collections.abc import Iterable, Mapping

CASE_HANDLER = "case_handler"
ADMINISTRATOR = "administrator"
# A role's value that means "every permission of this app".
ALL = "all"

GROUP_NAMES = {
    CASE_HANDLER: "Saksbehandler",
    ADMINISTRATOR: "Administrator",
}

Declaration = Mapping[str, Iterable[str] | str]


def group_name(role: str) -> str:
    """The name of the auth group that holds ``role`` (``CASE_HANDLER`` → "Saksbehandler")."""
    return GROUP_NAMES[role]


def declarations_of(app_configs) -> dict[str, Declaration]:
    """Every app's ``staff_permissions``, by app label (apps that declare none are left out)."""
    return {
        config.label: config.staff_permissions
        for config in app_configs
        if getattr(config, "staff_permissions", None)
    }


def ensure_staff_groups(
    declarations: Mapping[str, Declaration], *, group_model, permission_model, using="default"
) -> list[tuple[str, str]]:
    """Create each role's group and give it what the apps declared; return what was not found.

    ``declarations`` maps an app label to ``{role: [codename, ...] or ALL}``; a codename is one of
    that app's own permissions. The models are passed in so the caller may use the historical
    models a migration hands to ``post_migrate``. Permissions are only ever added (one given by
    hand in the admin stays), so running this after every migrate and flush is safe. A declared
    permission that does not exist is returned as ``(app_label, codename)`` for the caller to
    report: it is a typo or a permission whose model was removed.
    """
    unknown_roles = {role for decl in declarations.values() for role in decl} - set(GROUP_NAMES)
    if unknown_roles:
        raise ValueError(f"Unknown staff roles in staff_permissions: {sorted(unknown_roles)}")
    permissions = permission_model.objects.using(using)
    missing: list[tuple[str, str]] = []
    for role, name in GROUP_NAMES.items():
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        wanted = []
        for app_label, declaration in declarations.items():
            codenames = declaration.get(role)
            if not codenames:
                continue
            app_permissions = permissions.filter(content_type__app_label=app_label)
            if codenames == ALL:
                wanted += list(app_permissions)
                continue
            found = list(app_permissions.filter(codename__in=list(codenames)))
            wanted += found
            found_codenames = {permission.codename for permission in found}
            missing += [(app_label, c) for c in codenames if c not in found_codenames]
        group.permissions.add(*wanted)
    return missing
