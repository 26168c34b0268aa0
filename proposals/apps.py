from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.staff import ADMINISTRATOR, ALL, CASE_HANDLER


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")
    # Case handlers work on the cases in the admin (core.staff assembles the groups).
    staff_permissions = {
        CASE_HANDLER: [
            "view_proposal",
            "change_proposal",
            "view_proposalevent",
            "view_message",
            "view_attachment",
            "view_support",
            "view_follow",
            "view_officialanswer",
            "add_officialanswer",
            "change_officialanswer",
            "view_answertemplate",
            "add_answertemplate",
            "change_answertemplate",
        ],
        ADMINISTRATOR: ALL,
    }

    def ready(self):
        from . import committee_page
        from .notifications import register

        register()
        committee_page.register()
