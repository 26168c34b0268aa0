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
"""

import datetime
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from committees.models import Department
from core.export import Column, csv_export_action

from . import deadlines, services
from .models import (
    COMMITTEE_STATES,
    DECIDED_STATES,
    DIALOGUE_STATES,
    MUNICIPAL_STATES,
    OUTCOMES,
    AnswerTemplate,
    Attachment,
    Follow,
    Kind,
    Message,
    OfficialAnswer,
    Party,
    Proposal,
    ProposalEvent,
    State,
    Support,
)
from .permissions import is_municipal_staff

User = get_user_model()

BOTH_PLACES = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
CONFIRMATION_TEMPLATE = "admin/proposals/action_confirmation.html"
# A long case shows its latest entries; the count stays constant however long the case gets.
INLINE_LIMIT = 100
# What a template's text may say in braces; each is filled in by services.answer_template_fill.
TEMPLATE_PLACEHOLDERS = ("title", "reference", "committee")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The dates a case is measured by, in the order they happen: the change page and the CSV export
# show the same list.
KEY_DATES = [
    (_("Submitted"), "submitted_at"),
    (_("Forwarded to the municipality"), "forwarded_at"),
    (_("First response from the municipality"), "first_response_at"),
    (_("Decided"), "decided_at"),
    (_("Completed"), "completed_at"),
]


def _attr(name):
    return lambda obj: getattr(obj, name)


CSV_COLUMNS = [
    Column(_("Reference"), _attr("reference")),
    Column(_("Title"), _attr("title")),
    Column(_("Committee"), lambda p: p.committee.name),
    Column(_("Kind"), lambda p: p.get_kind_display()),
    Column(_("Topic"), lambda p: p.get_category_display()),
    Column(_("Status"), lambda p: p.get_state_display()),
    Column(_("Municipal department"), lambda p: p.department.name if p.department_id else ""),
    Column(_("Case handler"), lambda p: str(p.handler) if p.handler_id else ""),
    Column(_("Supports"), _attr("supports_count")),
    *(Column(label, _attr(name)) for label, name in KEY_DATES),
    Column(_("Next deadline"), _attr("next_due")),
    Column(_("Overdue"), _attr("is_overdue")),
]


def case_handlers(*, including_pk=None):
    """Staff who may be given a case: active members of the case handler group (and the case's
    current handler, so that a form never drops them silently)."""
    members = User.objects.filter(
        is_active=True,
        is_staff=True,
        groups__name=settings.PROPOSALS["CASE_HANDLER_GROUP"],
    ).values("pk")
    who = Q(pk__in=members)
    if including_pk is not None:
        who |= Q(pk=including_pk)
    return User.objects.filter(who).order_by("full_name", "email")


def _local(value: datetime.datetime | None, fmt="SHORT_DATETIME_FORMAT") -> str:
    return date_format(timezone.localtime(value), fmt) if value else "–"


def _problem(obj, error: ValidationError) -> str:
    return f"{obj}: {' '.join(error.messages)}"


def _as_form_errors(error: ValidationError, fields: dict[str, str]) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as form errors: its field names mapped by ``fields`` to
    the form's, anything else shown above the form."""
    if not hasattr(error, "error_dict"):
        return {NON_FIELD_ERRORS: error.messages}
    errors: dict[str, list[str]] = {}
    for name, texts in error.message_dict.items():
        errors.setdefault(fields.get(name, NON_FIELD_ERRORS), []).extend(texts)
    return errors


# --- Filters --------------------------------------------------------------------------------------


class StatusGroupFilter(admin.SimpleListFilter):
    """Where the case is. The queue opens on the cases at the municipality; a status chosen in
    the status filter, or a search (a case number, a name), is looked for among all cases."""

    title = _("status group")
    parameter_name = "status_group"
    DEFAULT = "municipality"
    GROUPS = {
        "municipality": MUNICIPAL_STATES,
        "committee": COMMITTEE_STATES,
        "decided": DECIDED_STATES | {State.IN_PROGRESS},
        "closed": {State.COMPLETED, State.DECLINED, State.WITHDRAWN},
        "all": None,
    }

    def lookups(self, request, model_admin):
        return [
            ("municipality", _("At the municipality")),
            ("committee", _("With the committee")),
            ("decided", _("Decided / in progress")),
            ("closed", _("Closed")),
            ("all", _("All")),
        ]

    def chosen(self) -> str:
        if self.value() in self.GROUPS:
            return self.value()
        if self.request.GET.get(StateFilter.parameter_name) or self.request.GET.get("q"):
            return "all"
        return self.DEFAULT

    def queryset(self, request, queryset):
        states = self.GROUPS[self.chosen()]
        return queryset if states is None else queryset.filter(state__in=states)

    def choices(self, changelist):
        """Like Django's, without the "All" that removes the parameter (that is the default)."""
        chosen = self.chosen()
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        for i, (lookup, title) in enumerate(self.lookup_choices):
            if counts is not None:
                count = counts.get(f"{i}__c", -1)
                title = f"{title} ({count})" if count != -1 else f"{title} (-)"
            yield {
                "selected": chosen == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class StateFilter(admin.SimpleListFilter):
    """The states a case can have in the queue (drafts are never shown to staff)."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(state.value, state.label) for state in State if state != State.DRAFT]

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("mine", _("Assigned to me")), ("unassigned", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(handler=request.user)
        if self.value() == "unassigned":
            return queryset.filter(handler__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(next_due__lt=today)
        if self.value() == "no":  # a deadline is running, and it has not passed
            return queryset.filter(next_due__gte=today)
        return queryset


class CitizenProposalFilter(admin.SimpleListFilter):
    title = _("citizens' proposal (§ 12-1)")
    parameter_name = "citizen"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(citizen_proposal_at__isnull=self.value() == "no")
        return queryset


# --- Read-only inlines ----------------------------------------------------------------------------


class LatestFirstFormSet(BaseInlineFormSet):
    """Only the latest ``INLINE_LIMIT`` rows, in one query, each knowing its proposal."""

    def get_queryset(self):
        if not getattr(self, "_limited", False):
            self._queryset = super().get_queryset()[:INLINE_LIMIT]
            self._limited = True
        return self._queryset

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The rows' __str__ names the proposal: give them the one we have, not a query each.
        self.fk.set_cached_value(form.instance, self.instance)
        return form


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    formset = LatestFirstFormSet

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProposalEventInline(ReadOnlyInline):
    model = ProposalEvent
    verbose_name = _("timeline entry")
    verbose_name_plural = _("Timeline (newest first; internal notes are for staff only)")
    fields = [
        "created_at",
        "kind",
        "visibility",
        "actor",
        "actor_party",
        "from_state",
        "to_state",
        "message",
    ]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("visible to"))
    def visibility(self, obj):
        if obj.is_internal:
            return format_html(
                '<strong class="proposal-internal">{}</strong>', _("Internal: staff only")
            )
        return _("Public")


class MessageInline(ReadOnlyInline):
    model = Message
    verbose_name_plural = _("Dialogue with the committee (newest first)")
    fields = ["created_at", "party", "sender", "body", "answer_by", "answered_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sender")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["download", "content_type", "file_size", "uploaded_by", "created_at"]
    ordering = ["created_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)

    @admin.display(description=_("size"))
    def file_size(self, obj):
        return filesizeformat(obj.size)


# --- Forms ----------------------------------------------------------------------------------------


def _textarea(rows=8):
    return forms.Textarea(attrs={"rows": rows, "cols": 80})


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposalAdminForm(forms.ModelForm):
    """The change page edits only the assignment, and takes an internal note and, while the
    dialogue is open, a message to the committee."""

    internal_note = forms.CharField(
        label=_("Internal note"),
        required=False,
        max_length=10_000,
        widget=_textarea(4),
        help_text=_(
            "Added to the timeline for municipal staff only. "
            "The author, the committee and the public never see it."
        ),
    )
    committee_message = forms.CharField(
        label=_("Message to the committee"),
        required=False,
        max_length=5000,
        widget=_textarea(4),
        help_text=_(
            "Written in the case's dialogue with the committee: the committee's board is told, "
            "and the author can read it."
        ),
    )
    answer_by = forms.DateField(
        label=_("Ask for an answer by"),
        required=False,
        widget=_date_input(),
        help_text=_(
            "Optional. The committee is reminded before this day, and the date is shown as "
            "its deadline until it answers."
        ),
    )

    # What the services refused when the page was last saved (set by the admin per request).
    service_errors: dict | None = None

    class Meta:
        model = Proposal
        fields = ["department", "handler"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.state not in DIALOGUE_STATES:
            for name in ("committee_message", "answer_by"):
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        for name in ("department", "handler"):
            if name in self.changed_data and self.initial.get(name) and not cleaned.get(name):
                self.add_error(
                    name,
                    _("A case cannot be left without one. Choose another to hand it over."),
                )
        if cleaned.get("answer_by") and not (cleaned.get("committee_message") or "").strip():
            self.add_error(
                "committee_message", _("Write the message that asks the committee for an answer.")
            )
        for name, texts in (self.service_errors or {}).items():
            self.add_error(name if name in self.fields else None, texts)
        return cleaned


class ActionInputForm(forms.Form):
    """What an action asks for on its intermediate page."""

    required_css_class = "required"  # the admin's bold label for a required field


class PreliminaryAnswerForm(ActionInputForm):
    message = forms.CharField(
        label=_("Preliminary answer"),
        max_length=5000,
        widget=_textarea(),
        help_text=_(
            "Say that the municipality has received the proposal and when the committee can "
            "expect an answer. It is shown on the proposal's public timeline."
        ),
        error_messages={"required": _("Write the preliminary answer.")},
    )


class InfoRequestForm(ActionInputForm):
    question = forms.CharField(
        label=_("Question to the committee"),
        max_length=5000,
        widget=_textarea(),
        error_messages={"required": _("Write the question to the committee.")},
    )
    due = forms.DateField(
        label=_("Answer by"),
        widget=_date_input(),
        help_text=_("The last day the committee has to answer."),
    )

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise ValidationError(_("The date cannot be in the past."))
        return due


class ActiveTemplateField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=AnswerTemplate.objects.filter(is_active=True), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_outcome_display()})"


class DecideForm(ActionInputForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", BLANK_CHOICE_LABEL), *((s.value, s.label) for s in OUTCOMES)],
        help_text=_("Leave empty to use the template's decision."),
    )
    template = ActiveTemplateField(
        label=_("Answer template"),
        required=False,
        help_text=_(
            "Press “Fill in the template” to put its text in the answer below, and edit it there."
        ),
    )
    body = forms.CharField(
        label=_("Official answer"),
        required=False,
        max_length=10_000,
        widget=_textarea(14),
        help_text=_(
            "Published with the decision. {title}, {reference} and {committee} are filled in "
            "for each proposal. Replace any text in [brackets] before publishing. You see the "
            "text for each proposal before it is published."
        ),
    )

    def __init__(self, *args, prefill=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefill = prefill  # "Fill in the template": the answer is not written yet

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("template")
        outcome = cleaned.get("outcome")
        if template is not None and outcome and template.outcome != outcome:
            self.add_error(
                "template",
                _(
                    "The template “%(template)s” is for the decision “%(template_outcome)s”, "
                    "not “%(outcome)s”. Choose a template for the same decision, or change "
                    "the decision."
                )
                % {
                    "template": template.name,
                    "template_outcome": template.get_outcome_display(),
                    "outcome": State(outcome).label,
                },
            )
        elif not outcome:
            if template is not None:
                cleaned["outcome"] = template.outcome
            elif not self.prefill and "template" not in self.errors:
                self.add_error("outcome", _("Choose the decision."))
        if not self.prefill and not (cleaned.get("body") or "").strip():
            self.add_error(
                "body",
                _(
                    "Write the official answer. To start from a template, choose it and press "
                    "“Fill in the template”."
                ),
            )
        return cleaned


class TemplateForm(ActionInputForm):
    template = ActiveTemplateField(
        label=_("Answer template"),
        error_messages={"required": _("Choose the template to answer with.")},
        help_text=_(
            "Each proposal gets the template's decision and text, with its own title, "
            "reference and committee filled in. You see the text for each proposal before it "
            "is published."
        ),
    )

    def clean_template(self):
        template = self.cleaned_data["template"]
        if template is not None and services.FILL_IN_MARKER.search(template.body):
            raise ValidationError(
                _(
                    "“%(template)s” has text in [brackets] that must be written for each "
                    "proposal. Use “%(action)s” to fill it in and edit it for each proposal."
                )
                % {"template": template.name, "action": _("Decide with an official answer")}
            )
        return template


class HandlerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class AssignForm(ActionInputForm):
    department = forms.ModelChoiceField(
        label=_("Municipal department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Leave empty to use the case handler's department."),
    )
    handler = HandlerField(label=_("Case handler"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = case_handlers()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("department") and not cleaned.get("handler") and not self.errors:
            raise ValidationError(_("Choose a department, a case handler or both."))
        return cleaned


# --- Intermediate pages ---------------------------------------------------------------------------


class ConfirmedActionsMixin:
    """Actions with an intermediate page, run from the list or from one object's page."""

    def _object_label(self, obj) -> str:
        return str(obj)

    def _confirmation(
        self, request, objects, *, action, title, submit_label, form=None, intro="", extra=None
    ):
        change_form_field = f"{admin.ActionLocation.CHANGE_FORM.value}-action"
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "objects": [{"pk": obj.pk, "label": self._object_label(obj)} for obj in objects],
            "form": form,
            "intro": intro,
            "submit_label": submit_label,
            "action_name": action,
            # The same action posts back to where it started: the list or the object's page.
            "action_field": change_form_field if change_form_field in request.POST else "action",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + (form.media if form is not None else forms.Media()),
            **(extra or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, CONFIRMATION_TEMPLATE, context)

    def _answer_preview(self, objects, body: str) -> tuple[list[dict], ValidationError | None]:
        """The text each case would be published with (``body`` filled in for it), and why it
        cannot be published (the services' rule on text left in [brackets]), if so."""
        items, refused = [], None
        for proposal in objects:
            text = services.answer_template_fill(
                template=AnswerTemplate(body=body), proposal=proposal
            )
            problem = ""
            if proposal.state not in MUNICIPAL_STATES:
                problem = _("Only a case at the municipality can be answered.")
            else:
                try:
                    services.answer_check_filled_in(body=text, proposal=proposal)
                except ValidationError as error:
                    refused = error
            items.append({"label": self._object_label(proposal), "text": text, "problem": problem})
        return items, refused

    def _previewed_action(self, request, objects, *, form_class, answer, publish, **labels):
        """Form, then the answers exactly as they will be published, then publishing.

        ``answer(cleaned_data)`` gives the decision and the text (with its placeholders) to
        preview; ``publish(objects, cleaned_data)`` runs only on the preview's "Publish". The
        preview posts the form's data back in hidden fields, and it is validated again.
        """
        extra = labels.pop("extra", None) or {}
        if "apply" not in request.POST:
            return self._confirmation(request, objects, form=form_class(), extra=extra, **labels)
        form = form_class(request.POST)
        if form.is_valid() and "_back" not in request.POST:
            outcome, body = answer(form.cleaned_data)
            preview, refused = self._answer_preview(objects, body)
            if refused is not None:
                # On the answer's own field when the form has one, else above the form.
                form.add_error(None, refused if "body" in form.fields else refused.messages)
            if not form.errors:
                if "_confirm" in request.POST:
                    publish(objects, form.cleaned_data)
                    return None
                labels["intro"] = _(
                    "Check the answer for each proposal. Nothing is published until you press "
                    "“Publish”; then the author, the followers and the committee are told."
                )
                extra = {
                    **extra,
                    "preview": preview,
                    "preview_outcome": State(outcome).label,
                    "confirm_label": _("Publish"),
                    "back_label": _("Back"),
                }
        return self._confirmation(request, objects, form=form, extra=extra, **labels)

    def _run_each(self, request, objects, do, *, done_message) -> int:
        """``do(obj)`` for each object in its own transaction; report what worked and what not."""
        done = 0
        for obj in objects:
            try:
                with transaction.atomic():
                    do(obj)
            except ValidationError as error:
                self.message_user(request, _problem(obj, error), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        return done


# --- The review queue -----------------------------------------------------------------------------


class _ServicesRefused(Exception):
    """A service said no while the change page was saved; ``errors`` are for its form."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@admin.register(Proposal)
class ProposalAdmin(ConfirmedActionsMixin, admin.ModelAdmin):
    form = ProposalAdminForm
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
        "export_csv",
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
            queryset = queryset.filter(state__in=MUNICIPAL_STATES).exclude(
                answer__published_at__isnull=False
            )
        return queryset, may_have_duplicates

    def _dialogue_fields(self, obj) -> list[str]:
        if obj.state in DIALOGUE_STATES:
            return ["committee_message", "answer_by"]
        return ["dialogue_closed"]  # why no message can be written now

    def get_form(self, request, obj=None, **kwargs):
        request._proposal_handler_pk = obj.handler_id if obj is not None else None
        form = super().get_form(request, obj, **kwargs)
        form.service_errors = getattr(request, "_proposal_service_errors", None)  # this request's
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _ServicesRefused as refused:
            # The page's transaction was rolled back, so nothing was saved: show the page again
            # with the services' reasons on the form.
            request._proposal_service_errors = refused.errors
            return super().changeform_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "handler":
            kwargs["queryset"] = case_handlers(
                including_pk=getattr(request, "_proposal_handler_pk", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False  # proposals come from residents

    def has_delete_permission(self, request, obj=None):
        return False  # the case belongs to the record

    # --- Columns and read-only fields ---

    @admin.display(description=_("committee"), ordering="committee__name")
    def committee_name(self, obj):
        # "Helgeroa/Nevlunghavn" may break after the slash: the column stays narrow.
        return format_html_join(
            mark_safe("/<wbr>"),  # noqa: S308 (our own markup)
            "{}",
            ((part,) for part in obj.committee.name.split("/")),
        )

    @admin.display(description=_("next deadline"), ordering="next_due")
    def next_deadline(self, obj):
        if obj.next_due is None:
            return "–"
        day = date_format(obj.next_due, "SHORT_DATE_FORMAT")
        if obj.is_overdue:
            return format_html(
                '<span class="proposal-overdue">{} <strong>{}</strong></span>',
                day,
                pgettext("short marker after a date in the queue; keep it short", "Overdue"),
            )
        return day

    @admin.display(description=_("§ 12-1"), boolean=True, ordering="citizen_proposal_at")
    def is_citizen_proposal(self, obj):
        return obj.is_citizen_proposal

    @admin.display(description=_("citizens' proposal (§ 12-1)"))
    def citizen_proposal_status(self, obj):
        if obj.citizen_proposal_at is None:
            return _("No")
        return _("Yes, since %(date)s") % {"date": _local(obj.citizen_proposal_at)}

    @admin.display(description=_("author's e-mail"))
    def author_email(self, obj):
        return obj.author.email

    @admin.display(description=_("official answer"))
    def official_answer(self, obj):
        answer = getattr(obj, "answer", None)
        if answer is None:
            return _("Not written yet.")
        url = reverse("admin:proposals_officialanswer_change", args=[answer.pk])
        status = (
            _("published %(date)s") % {"date": _local(answer.published_at)}
            if answer.is_published
            else _("draft")
        )
        return format_html('<a href="{}">{}</a> ({})', url, answer.get_outcome_display(), status)

    @admin.display(description=_("message to the committee"))
    def dialogue_closed(self, obj):
        if obj.state in COMMITTEE_STATES:
            return _(
                "The case is still with the committee. Messages can be written once it has "
                "been forwarded to the municipality."
            )
        return _("The case is closed (“%(state)s”), and so is the dialogue.") % {
            "state": obj.get_state_display()
        }

    @admin.display(description=_("running deadlines"))
    def deadline_overview(self, obj):
        running = deadlines.proposal_deadlines(obj, open_requests=deadlines.open_requests_for(obj))
        if not running:
            return _("No deadline is running.")
        today = timezone.localdate()
        rows = []
        for deadline in running:
            overdue = (
                format_html(' <strong class="proposal-overdue">{}</strong>', _("Overdue"))
                if deadline.is_overdue(today)
                else ""
            )
            rows.append(
                (
                    deadline.label,
                    date_format(deadline.due, "SHORT_DATE_FORMAT"),
                    Party(deadline.party).label,
                    overdue,
                )
            )
        return format_html(
            '<ul class="proposal-deadlines">{}</ul>',
            format_html_join("", "<li>{}: {} ({}){}</li>", rows),
        )

    @admin.display(description=_("key dates"))
    def key_dates(self, obj):
        rows = [(label, _local(getattr(obj, name))) for label, name in KEY_DATES]
        return format_html(
            '<dl class="proposal-dates">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )

    # --- Saving: only through the services ---

    def save_model(self, request, obj, form, change):
        """Never ``obj.save()``: the assignment, the note and the message go through the
        services. All or nothing: when one says no, the page's transaction is rolled back and
        the form shows why (``changeform_view``)."""
        changed = set(form.changed_data)
        data = form.cleaned_data
        steps = []  # (service call, its field names -> the form's, what to say when done)
        if changed & {"department", "handler"}:
            steps.append(
                (
                    lambda: services.proposal_assign(
                        proposal=obj,
                        actor=request.user,
                        handler=data["handler"] if "handler" in changed else None,
                        department=data["department"] if "department" in changed else None,
                    ),
                    {"handler": "handler", "department": "department"},
                    None,
                )
            )
        note = (data.get("internal_note") or "").strip()
        if note:
            steps.append(
                (
                    lambda: services.internal_note_add(proposal=obj, actor=request.user, text=note),
                    {"message": "internal_note"},
                    _("The internal note was added."),
                )
            )
        message = (data.get("committee_message") or "").strip()
        if message and obj.state in DIALOGUE_STATES:
            steps.append(
                (
                    lambda: services.message_send(
                        proposal=obj,
                        actor=request.user,
                        body=message,
                        answer_by=data.get("answer_by"),
                    ),
                    {"body": "committee_message", "answer_by": "answer_by"},
                    _("The message was sent to the committee."),
                )
            )
        done = []
        for call, fields, success in steps:
            try:
                call()
            except ValidationError as error:
                raise _ServicesRefused(_as_form_errors(error, fields)) from error
            if success:
                done.append(success)
        for text in done:
            self.message_user(request, text, messages.SUCCESS)

    # --- Actions ---

    def _object_label(self, obj):
        return f"{obj.reference} – {obj.title} ({obj.get_state_display()})"

    def _form_action(self, request, objects, *, action, form_class, title, submit_label, run, **kw):
        """Show the form; when it comes back valid (``apply``), ``run(objects, cleaned_data)``."""
        initial = kw.pop("initial", None)
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                run(objects, form.cleaned_data)
                return None
        else:
            form = form_class(initial=initial)
        return self._confirmation(
            request, objects, action=action, title=title, submit_label=submit_label, form=form, **kw
        )

    @admin.action(
        description=_("Acknowledge with a preliminary answer"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def acknowledge(self, request, queryset):
        def run(objects, data):
            skipped = [p for p in objects if p.state != State.FORWARDED]
            if skipped:
                self.message_user(
                    request,
                    _("Skipped, because they are not newly forwarded: %(refs)s")
                    % {"refs": ", ".join(p.reference for p in skipped)},
                    messages.WARNING,
                )
            self._run_each(
                request,
                [p for p in objects if p.state == State.FORWARDED],
                lambda p: services.proposal_transition(
                    proposal=p,
                    actor=request.user,
                    to_state=State.RECEIVED,
                    message=data["message"],
                ),
                done_message=lambda n: (
                    ngettext(
                        "%(count)d proposal acknowledged with a preliminary answer.",
                        "%(count)d proposals acknowledged with a preliminary answer.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self._form_action(
            request,
            list(queryset),
            action="acknowledge",
            form_class=PreliminaryAnswerForm,
            title=_("Acknowledge with a preliminary answer"),
            submit_label=_("Send the preliminary answer"),
            intro=_(
                "Only proposals forwarded to the municipality and not yet acknowledged are "
                "acknowledged; the others are skipped."
            ),
            run=run,
        )

    @admin.action(
        description=_("Request more information from the committee"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def request_information(self, request, queryset):
        def run(objects, data):
            self._run_each(
                request,
                objects,
                lambda p: services.proposal_transition(
                    proposal=p,
                    actor=request.user,
                    to_state=State.INFO_REQUESTED,
                    message=data["question"],
                    due=data["due"],
                ),
                done_message=lambda n: (
                    ngettext(
                        "More information requested on %(count)d proposal.",
                        "More information requested on %(count)d proposals.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self._form_action(
            request,
            list(queryset),
            action="request_information",
            form_class=InfoRequestForm,
            title=_("Request more information from the committee"),
            submit_label=_("Send the question"),
            initial={"due": deadlines.info_due(timezone.localdate())},
            run=run,
        )

    @admin.action(description=_("Start the review"), permissions=["change"], location=BOTH_PLACES)
    def start_review(self, request, queryset):
        objects = list(queryset)
        if "apply" in request.POST:
            self._run_each(
                request,
                objects,
                lambda p: services.proposal_transition(
                    proposal=p, actor=request.user, to_state=State.IN_REVIEW
                ),
                done_message=lambda n: (
                    ngettext(
                        "The review of %(count)d proposal has started.",
                        "The review of %(count)d proposals has started.",
                        n,
                    )
                    % {"count": n}
                ),
            )
            return None
        return self._confirmation(
            request,
            objects,
            action="start_review",
            title=_("Start the review"),
            submit_label=_("Start the review"),
            intro=_("The proposals are marked as being considered by the municipality."),
        )

    @admin.action(
        description=_("Decide with an official answer"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def decide(self, request, queryset):
        objects = list(queryset)
        labels = {
            "action": "decide",
            "title": _("Decide with an official answer"),
            "submit_label": _("Preview"),
            "intro": _(
                "The answer is published with the decision; the author, the followers and the "
                "committee are told. You see the text for each proposal before it is published."
            ),
            "extra": {"prefill_label": _("Fill in the template")},
        }
        if "_prefill" in request.POST:
            form = DecideForm(request.POST, prefill=True)
            if form.is_valid() and form.cleaned_data["template"] is None:
                form.add_error("template", _("Choose a template to fill in."))
            if form.is_valid():
                template = form.cleaned_data["template"]
                # One case: its own text to edit. Several: the placeholders stay, each is filled
                # in for its case (and shown) before publishing.
                body = (
                    services.answer_template_fill(template=template, proposal=objects[0])
                    if len(objects) == 1
                    else template.body
                )
                form = DecideForm(
                    initial={
                        "outcome": form.cleaned_data["outcome"],
                        "template": template.pk,
                        "body": body,
                    }
                )
            return self._confirmation(request, objects, form=form, **labels)

        def publish(objects, data):
            def decide_one(proposal):
                text = services.answer_template_fill(
                    template=AnswerTemplate(body=data["body"]), proposal=proposal
                )
                services.answer_save_draft(
                    proposal=proposal, actor=request.user, outcome=data["outcome"], body=text
                )
                services.answer_publish(proposal=proposal, actor=request.user)

            self._run_each(
                request,
                objects,
                decide_one,
                done_message=lambda n: (
                    ngettext(
                        "%(count)d proposal decided and its answer published.",
                        "%(count)d proposals decided and their answers published.",
                        n,
                    )
                    % {"count": n}
                ),
            )

        return self._previewed_action(
            request,
            objects,
            form_class=DecideForm,
            answer=lambda data: (data["outcome"], data["body"]),
            publish=publish,
            **labels,
        )

    @admin.action(
        description=_("Answer with a template"), permissions=["change"], location=BOTH_PLACES
    )
    def answer_with_template(self, request, queryset):
        def publish(objects, data):
            answered, problems = services.proposals_answer_with_template(
                proposals=objects, actor=request.user, template=data["template"]
            )
            for problem in problems:
                self.message_user(request, problem, messages.ERROR)
            if answered:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d proposal answered.", "%(count)d proposals answered.", answered
                    )
                    % {"count": answered},
                    messages.SUCCESS,
                )

        return self._previewed_action(
            request,
            list(queryset),
            action="answer_with_template",
            form_class=TemplateForm,
            title=_("Answer with a template"),
            submit_label=_("Preview"),
            intro=_(
                "Each proposal is decided and answered on its own; one that cannot be answered "
                "does not stop the others. You see the text for each proposal before it is "
                "published."
            ),
            answer=lambda data: (data["template"].outcome, data["template"].body),
            publish=publish,
        )

    @admin.action(
        description=_("Assign a case handler"), permissions=["change"], location=BOTH_PLACES
    )
    def assign(self, request, queryset):
        def run(objects, data):
            self._run_each(
                request,
                objects,
                lambda p: services.proposal_assign(
                    proposal=p,
                    actor=request.user,
                    handler=data["handler"],
                    department=data["department"],
                ),
                done_message=lambda n: (
                    ngettext("%(count)d proposal assigned.", "%(count)d proposals assigned.", n)
                    % {"count": n}
                ),
            )

        objects = list(queryset)
        initial = None
        if len(objects) == 1:
            initial = {"department": objects[0].department_id, "handler": objects[0].handler_id}
        return self._form_action(
            request,
            objects,
            action="assign",
            form_class=AssignForm,
            title=_("Assign a case handler"),
            submit_label=_("Assign"),
            initial=initial,
            run=run,
        )

    export_csv = csv_export_action(
        columns=CSV_COLUMNS,
        filename="proposals",
        rows=lambda queryset: (
            queryset.select_related("committee", "department", "handler")
            .order_by(F("next_due").asc(nulls_last=True), "submitted_at", "pk")
            .iterator(chunk_size=500)
        ),
        permissions=("change",),
    )


# --- Official answers and templates ---------------------------------------------------------------


class PublishedFilter(admin.SimpleListFilter):
    title = _("published")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


class OfficialAnswerForm(forms.ModelForm):
    class Meta:
        model = OfficialAnswer
        fields = ["proposal", "outcome", "body"]
        widgets = {"body": _textarea(14)}
        help_texts = {
            "body": _(
                "Saved as a draft. It can be published (with the decision) once any text in "
                "[brackets] has been replaced."
            )
        }

    actor = None  # set by the admin for each request

    def clean_proposal(self):
        """The service's rules, checked first so that they show as form errors."""
        proposal = self.cleaned_data["proposal"]
        if proposal is not None and proposal.state not in MUNICIPAL_STATES:
            raise ValidationError(_("Only a case at the municipality can be answered."))
        return proposal

    def clean(self):
        cleaned = super().clean()
        if not is_municipal_staff(self.actor):
            raise ValidationError(_("Only municipal staff write official answers."))
        return cleaned


@admin.register(OfficialAnswer)
class OfficialAnswerAdmin(ConfirmedActionsMixin, admin.ModelAdmin):
    """Answers are written as drafts here (through the service) and published by the action."""

    form = OfficialAnswerForm
    list_display = ["proposal", "outcome", "author", "published_at", "updated_at"]
    list_filter = ["outcome", PublishedFilter]
    list_select_related = ["proposal", "author"]
    search_fields = ["proposal__reference", "proposal__title", "body"]
    autocomplete_fields = ["proposal"]
    ordering = ["-updated_at"]
    actions = ["publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal", "author")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # An answer stays on its case; a published answer is part of the record.
        fields = ["proposal", "author", "created_at", "updated_at", "published_at"]
        return [*fields, "outcome", "body"] if obj.is_published else fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["proposal", "outcome", "body"]
        return ["proposal", "outcome", "body", "author", "created_at", "updated_at", "published_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "proposal":
            kwargs["queryset"] = Proposal.objects.filter(state__in=MUNICIPAL_STATES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user  # a class made for this request
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        answer = services.answer_save_draft(
            proposal=obj.proposal, actor=request.user, outcome=obj.outcome, body=obj.body
        )
        obj.pk, obj.author, obj.created_at, obj.updated_at = (
            answer.pk,
            answer.author,
            answer.created_at,
            answer.updated_at,
        )
        obj._state.adding = False

    def _object_label(self, obj):
        status = _("published") if obj.is_published else _("draft")
        return f"{obj} ({status})"

    @admin.action(
        description=_("Publish the answer and the decision"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def publish(self, request, queryset):
        objects = list(queryset)
        if "apply" in request.POST:
            published = [answer for answer in objects if answer.is_published]
            if published:
                self.message_user(
                    request,
                    _("Skipped, because they are already published: %(answers)s")
                    % {"answers": ", ".join(str(answer) for answer in published)},
                    messages.WARNING,
                )
            self._run_each(
                request,
                [answer for answer in objects if not answer.is_published],
                lambda answer: services.answer_publish(
                    proposal=answer.proposal, actor=request.user
                ),
                done_message=lambda n: (
                    ngettext("%(count)d answer published.", "%(count)d answers published.", n)
                    % {"count": n}
                ),
            )
            return None
        return self._confirmation(
            request,
            objects,
            action="publish",
            title=_("Publish the answer and the decision"),
            submit_label=_("Publish"),
            intro=_(
                "The decision is made and the answer is public at once; the author, the "
                "followers and the committee are told. A published answer cannot be changed, "
                "and answers already published are skipped."
            ),
        )


class AnswerTemplateForm(forms.ModelForm):
    class Meta:
        model = AnswerTemplate
        fields = ["name", "outcome", "body", "is_active"]
        widgets = {"body": _textarea(14)}
        help_texts = {
            "body": _(
                "{title}, {reference} and {committee} are replaced by the proposal's title, "
                "reference and committee; no other words in curly brackets can be used. Put text "
                "that must be written for each case in [square brackets], like [write which "
                "parts and why]: the answer cannot be published until it has been replaced, and "
                "the template cannot be used with “Answer with a template”."
            )
        }

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = [
            name
            for name in dict.fromkeys(PLACEHOLDER.findall(body))
            if name not in TEMPLATE_PLACEHOLDERS
        ]
        if unknown:
            raise ValidationError(
                ngettext(
                    "Unknown placeholder: %(unknown)s. Only %(allowed)s can be used.",
                    "Unknown placeholders: %(unknown)s. Only %(allowed)s can be used.",
                    len(unknown),
                )
                % {
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "allowed": ", ".join(f"{{{name}}}" for name in TEMPLATE_PLACEHOLDERS),
                }
            )
        return body


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    form = AnswerTemplateForm
    list_display = ["name", "outcome", "is_active"]
    list_filter = ["outcome", "is_active"]
    search_fields = ["name", "body"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the services write; staff look, never edit here."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    """Who supports what (supports are the residents' own)."""

    list_display = ["proposal", "user", "created_at"]
    list_select_related = ["proposal", "user"]
    search_fields = ["proposal__reference", "proposal__title", "user__email", "user__full_name"]
    readonly_fields = ["proposal", "user", "created_at"]


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    """Who follows what (and so hears about it)."""

    list_display = ["proposal", "user", "created_at"]
    list_select_related = ["proposal", "user"]
    search_fields = ["proposal__reference", "proposal__title", "user__email", "user__full_name"]
    readonly_fields = ["proposal", "user", "created_at"]


class AwaitingAnswerFilter(admin.SimpleListFilter):
    title = _("answer")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("Waiting for an answer")), ("no", _("Answered or no answer asked"))]

    def queryset(self, request, queryset):
        waiting = {"answer_by__isnull": False, "answered_at__isnull": True}
        if self.value() == "yes":
            return queryset.filter(**waiting)
        if self.value() == "no":
            return queryset.exclude(**waiting)
        return queryset


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """Every case's dialogue in one list: what waits for an answer, from whom, by when.
    Messages are written on the case's page (``message_send``)."""

    list_display = ["proposal", "party", "sender", "created_at", "answer_by", "answered_at"]
    list_filter = [AwaitingAnswerFilter, "party", "proposal__committee"]
    list_select_related = ["proposal", "sender"]
    search_fields = ["proposal__reference", "proposal__title", "body"]
    readonly_fields = [
        "proposal",
        "party",
        "sender",
        "body",
        "answer_by",
        "answered_at",
        "created_at",
    ]
    ordering = ["answered_at", "answer_by", "-created_at"]


@admin.register(ProposalEvent)
class ProposalEventAdmin(ReadOnlyAdmin):
    """The timeline of every case, internal notes included (a log for staff)."""

    list_display = [
        "proposal",
        "kind",
        "from_state",
        "to_state",
        "actor",
        "is_internal",
        "created_at",
    ]
    list_filter = ["kind", "is_internal", "to_state"]
    list_select_related = ["proposal", "actor"]
    search_fields = ["proposal__reference", "proposal__title", "message"]
    readonly_fields = [
        "proposal",
        "kind",
        "actor",
        "actor_party",
        "from_state",
        "to_state",
        "message",
        "is_internal",
        "created_at",
    ]
    date_hierarchy = "created_at"
