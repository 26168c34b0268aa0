"""The municipality's review queue: case handlers work proposals here.

Nothing on a case is written directly. The resident's text, the status, the deadlines and the
timestamps are read-only; every change (acknowledging, asking for information, starting the
review, deciding with an official answer, assigning, internal notes) goes through
``proposals.services``, so the timeline, the deadlines and the notifications stay right.

Actions that need input show an intermediate page (like Django's delete confirmation) that posts
back with ``apply``; each case is then handled on its own, and one that cannot be handled is
reported without stopping the others. They run from the list and from a case's own page.
Actions that publish an answer first show the exact text for each case; only the page's
"Publish" (``_confirm``) publishes, and "Back" (``_back``) returns to the form as it was.

The machinery is ``core.admin``'s; the actions are grouped by concern in ``actions``
(the case's course) and ``deciding`` (answers and decisions), the columns in ``columns``.
"""

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.admin import ConfirmedActionsMixin, ServiceBackedAdminMixin

from .. import admin_actions, services
from ..models import DIALOGUE_STATES, Kind, OfficialAnswer, Proposal, State
from .actions import CaseActionsMixin
from .columns import ProposalColumnsMixin
from .deciding import DecisionActionsMixin
from .exports import export_csv
from .filters import (
    AssignedFilter,
    CitizenProposalFilter,
    OverdueFilter,
    StateFilter,
    StatusGroupFilter,
)
from .forms import ProposalAdminForm, case_handlers
from .records import AttachmentInline, MessageInline, ProposalEventInline


@admin.register(Proposal)
class ProposalAdmin(
    ServiceBackedAdminMixin,
    ConfirmedActionsMixin,
    CaseActionsMixin,
    DecisionActionsMixin,
    ProposalColumnsMixin,
    admin.ModelAdmin,
):
    form = ProposalAdminForm
    confirmation_template = "admin/proposals/action_confirmation.html"
    list_display = [
        "reference",
        "title",
        "committee_name",
        "state",
        "kind",
        "department",
        "handler",
        "supports_count",
        "next_deadline",
        "is_citizen_proposal",
    ]
    list_filter = [
        StatusGroupFilter,
        StateFilter,
        "committee",
        "department",
        AssignedFilter,
        ("handler", admin.RelatedOnlyFieldListFilter),
        OverdueFilter,
        "kind",
        "category",
        CitizenProposalFilter,
    ]
    list_select_related = ["committee", "department", "handler"]
    search_fields = ["reference", "title", "summary", "author__email", "author__full_name"]
    search_help_text = _("Search by reference, title, summary or the author's name or e-mail.")
    # The review queue: the most urgent deadline first, cases without one last.
    ordering = [F("next_due").asc(nulls_last=True), "submitted_at"]
    show_full_result_count = False
    list_per_page = 50
    inlines = [ProposalEventInline, MessageInline, AttachmentInline]
    actions = [
        "acknowledge",
        "request_information",
        "start_review",
        "decide",
        "answer_with_template",
        "assign",
        export_csv,
    ]
    readonly_fields = [
        "reference",
        "title",
        "committee",
        "author",
        "author_email",
        "state",
        "kind",
        "category",
        "supports_count",
        "citizen_proposal_status",
        "official_answer",
        "summary",
        "body",
        "location_text",
        "latitude",
        "longitude",
        "task",
        "season",
        "volunteer_hours_per_year",
        "compensation_per_year",
        "municipality_provides",
        "deadline_overview",
        "key_dates",
        "dialogue_closed",
    ]

    class Media:
        css = {"all": ["css/admin-proposals.css"]}

    def get_fieldsets(self, request, obj=None):
        may_change = self.has_change_permission(request, obj)
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "reference",
                        "title",
                        "committee",
                        ("author", "author_email"),
                        "state",
                        ("kind", "category"),
                        ("supports_count", "citizen_proposal_status"),
                        "official_answer",
                    ]
                },
            ),
            (
                _("Case handling"),
                {"fields": ["department", "handler"] + (["internal_note"] if may_change else [])},
            ),
            *(
                [(_("Write in the dialogue"), {"fields": self._dialogue_fields(obj)})]
                if may_change and obj is not None
                else []
            ),
            (_("Deadlines and dates"), {"fields": ["deadline_overview", "key_dates"]}),
            (
                _("The proposal"),
                {"fields": ["summary", "body", "location_text", ("latitude", "longitude")]},
            ),
        ]
        if obj is not None and obj.kind == Kind.TAKEOVER:
            fieldsets.append(
                (
                    _("Taking over a municipal task"),
                    {
                        "fields": [
                            "task",
                            "season",
                            "volunteer_hours_per_year",
                            "compensation_per_year",
                            "municipality_provides",
                        ]
                    },
                )
            )
        return fieldsets

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        """The queue's own actions, and those higher apps registered (``proposals.admin_actions``:
        "Lag avtaleutkast" is agreements'), each shown only to whom it allows."""
        actions = super().get_actions(request, action_location=action_location)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for function in admin_actions.actions_for(request):
            action = self.get_action(function, action_location)
            if action is None or action.name in actions:
                continue  # not for this place (the list or the page), or a name already taken
            needed = getattr(function, "allowed_permissions", ())
            if needed and not any(
                getattr(self, f"has_{name}_permission")(request) for name in needed
            ):
                continue
            actions[action.name] = action
        return actions

    def get_queryset(self, request):
        # Drafts belong to their authors until submitted.
        return (
            super()
            .get_queryset(request)
            .exclude(state=State.DRAFT)
            .select_related("committee", "department", "handler", "author", "answer")
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The official answer's autocomplete offers only cases that can still be answered.
        if request.GET.get("model_name") == OfficialAnswer._meta.model_name:
            queryset = queryset.answerable().exclude(answer__published_at__isnull=False)
        return queryset, may_have_duplicates

    def _dialogue_fields(self, obj) -> list[str]:
        if obj.state in DIALOGUE_STATES:
            return ["committee_message", "answer_by"]
        return ["dialogue_closed"]  # why no message can be written now

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handler":
            kwargs["queryset"] = case_handlers()  # the form adds the case's current handler
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False  # proposals come from residents

    def has_delete_permission(self, request, obj=None):
        return False  # the case belongs to the record

    # --- Saving: only through the services (core.admin.ServiceBackedAdminMixin) ---

    # The services' field names for what the page calls the note and the message.
    service_error_fields = {"message": "internal_note", "body": "committee_message"}

    def save_through_services(self, request, obj, form, change):
        """The assignment, the note and the message, each through its service; all or nothing
        (a refusal shows on the form, and nothing else is saved)."""
        changed = set(form.changed_data)
        data = form.cleaned_data
        said = []
        if changed & {"department", "handler"}:
            services.proposal_assign(
                proposal=obj,
                actor=request.user,
                handler=data["handler"] if "handler" in changed else None,
                department=data["department"] if "department" in changed else None,
            )
        note = (data.get("internal_note") or "").strip()
        if note:
            services.internal_note_add(proposal=obj, actor=request.user, text=note)
            said.append(_("The internal note was added."))
        message = (data.get("committee_message") or "").strip()
        if message and obj.state in DIALOGUE_STATES:
            services.message_send(
                proposal=obj, actor=request.user, body=message, answer_by=data.get("answer_by")
            )
            said.append(_("The message was sent to the committee."))
        return said

    def object_label(self, obj):
        return f"{obj.reference} – {obj.title} ({obj.get_state_display()})"
