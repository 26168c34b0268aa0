"""Official answers (drafts written through the service, published by an action) and the
answer templates case handlers start from."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BOTH_PLACES, ConfirmedActionsMixin, ServiceBackedAdminMixin

from .. import services
from ..models import AnswerTemplate, OfficialAnswer, Proposal
from .filters import PublishedFilter
from .forms import AnswerTemplateForm, OfficialAnswerForm


@admin.register(OfficialAnswer)
class OfficialAnswerAdmin(ServiceBackedAdminMixin, ConfirmedActionsMixin, admin.ModelAdmin):
    """Answers are written as drafts here (through the service) and published by the action."""

    form = OfficialAnswerForm
    confirmation_template = "admin/proposals/action_confirmation.html"
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
            kwargs["queryset"] = Proposal.objects.answerable()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_services(self, request, obj, form, change):
        """A draft, through the service: it says who may write one and on which case."""
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

    def object_label(self, obj):
        status = _("published") if obj.is_published else _("draft")
        return f"{obj} ({status})"

    @admin.action(
        description=_("Publish the answer and the decision"),
        permissions=["change"],
        location=BOTH_PLACES,
    )
    def publish(self, request, queryset):
        def run(objects):
            published = [answer for answer in objects if answer.is_published]
            if published:
                self.message_user(
                    request,
                    _("Skipped, because they are already published: %(answers)s")
                    % {"answers": ", ".join(str(answer) for answer in published)},
                    messages.WARNING,
                )
            self.run_each(
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

        return self.confirmed_action(
            request,
            list(queryset),
            run=run,
            action="publish",
            title=_("Publish the answer and the decision"),
            submit_label=_("Publish"),
            intro=_(
                "The decision is made and the answer is public at once; the author, the "
                "followers and the committee are told. A published answer cannot be changed, "
                "and answers already published are skipped."
            ),
        )


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    form = AnswerTemplateForm
    list_display = ["name", "outcome", "is_active"]
    list_filter = ["outcome", "is_active"]
    search_fields = ["name", "body"]
