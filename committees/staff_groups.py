"""The municipality's two staff groups and their model permissions: one list, used by the data
migration that creates them and by ``seed_demo`` (which restores them after a test flush)."""

CASE_HANDLER = "Saksbehandler"
ADMINISTRATOR = "Administrator"

CASE_HANDLER_PERMISSIONS = [
    ("committees", "view_committee"),
    ("committees", "change_committee"),
    ("committees", "view_membership"),
    ("committees", "add_membership"),
    ("committees", "change_membership"),
    ("committees", "view_department"),
    ("committees", "view_departmentstaff"),
    ("users", "view_user"),
    ("notifications", "view_notification"),
    ("notifications", "view_notificationpreference"),
    ("proposals", "view_proposal"),
    ("proposals", "change_proposal"),
    ("proposals", "view_proposalevent"),
    ("proposals", "view_message"),
    ("proposals", "view_attachment"),
    ("proposals", "view_support"),
    ("proposals", "view_follow"),
    ("proposals", "view_officialanswer"),
    ("proposals", "add_officialanswer"),
    ("proposals", "change_officialanswer"),
    ("proposals", "view_answertemplate"),
    ("proposals", "add_answertemplate"),
    ("proposals", "change_answertemplate"),
]
ADMINISTRATOR_APPS = ["committees", "users", "account", "notifications", "proposals"]


def ensure_staff_groups(*, group_model, permission_model) -> None:
    """Create or complete both groups; models are passed in so migrations can use historical ones.

    A permission whose app is not migrated yet is skipped; that app's migration calls this again.
    """
    case_handler, _ = group_model.objects.get_or_create(name=CASE_HANDLER)
    for app_label, codename in CASE_HANDLER_PERMISSIONS:
        case_handler.permissions.add(
            *permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
        )
    administrator, _ = group_model.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(
        *permission_model.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS)
    )
