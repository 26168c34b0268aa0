"""What the services write on a case, for staff to read: the case page's timeline, dialogue and
attachments (inlines, latest first), and lists of every supporter, follower, message and
timeline entry. Nothing here is edited (``core.admin.ReadOnlyAdmin``/``ReadOnlyInline``)."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import AccountFieldsMixin, ReadOnlyAdmin, ReadOnlyInline

from ..models import Attachment, Follow, Message, ProposalEvent, Support
from .filters import AwaitingAnswerFilter


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


@admin.register(Support)
class SupportAdmin(AccountFieldsMixin, ReadOnlyAdmin):
    """Who supports what (supports are the residents' own)."""

    list_display = ["proposal", "user", "created_at"]
    list_select_related = ["proposal", "user"]
    search_fields = ["proposal__reference", "proposal__title", "user__email", "user__full_name"]
    readonly_fields = ["proposal", "user", "created_at"]


@admin.register(Follow)
class FollowAdmin(AccountFieldsMixin, ReadOnlyAdmin):
    """Who follows what (and so hears about it)."""

    list_display = ["proposal", "user", "created_at"]
    list_select_related = ["proposal", "user"]
    search_fields = ["proposal__reference", "proposal__title", "user__email", "user__full_name"]
    readonly_fields = ["proposal", "user", "created_at"]


@admin.register(Message)
class MessageAdmin(AccountFieldsMixin, ReadOnlyAdmin):
    """Every case's dialogue in one list: what waits for an answer, from whom, by when.
    Messages are written on the case's page (``message_send``). Senders by name for case
    handlers (``AccountFieldsMixin``)."""

    account_fields = ("sender",)
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
class ProposalEventAdmin(AccountFieldsMixin, ReadOnlyAdmin):
    """The timeline of every case, internal notes included (a log for staff); who acted by name
    for case handlers (``AccountFieldsMixin``)."""

    account_fields = ("actor",)
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
