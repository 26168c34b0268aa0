"""What was sent to whom: a read-only record for municipal staff, with "send again"."""

from django.contrib import admin, messages
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import kinds, services
from .models import EmailStatus, Notification, NotificationPreference


class KindFilter(admin.SimpleListFilter):
    """The registered kinds, without a query for distinct values."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.key, kind.label) for kind in kinds.all_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipient",
        "category",
        "kind",
        "created_at",
        "channel",
        "email_status",
        "attempts",
        "sent_at",
        "is_read",
    ]
    list_filter = ["email_status", "category", KindFilter, "channel", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__full_name", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["send_again"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["recipient", "category", "kind", "subject", "text", "target_url"]}),
        (
            _("E-mail"),
            {
                "fields": [
                    "channel",
                    "email_status",
                    "attempts",
                    "available_at",
                    "sent_at",
                    "message_id",
                    "last_error",
                ]
            },
        ),
        (_("Record"), {"fields": ["dedupe_key", "created_at", "read_at"]}),
    ]

    @admin.display(description=_("text"))
    def text(self, obj):
        return format_html("<div class='readonly'>{}</div>", linebreaks(obj.body))

    @admin.display(description=_("read"), boolean=True)
    def is_read(self, obj):
        return obj.read_at is not None

    def get_readonly_fields(self, request, obj=None):
        return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False  # notifications come from the services, never typed in

    def has_change_permission(self, request, obj=None):
        return False  # a record of what was said; the view stays readable

    @admin.action(description=_("Send the e-mail again (failed only)"), permissions=["view"])
    def send_again(self, request, queryset):
        again = sum(
            services.notification_resend(notification=notification)
            for notification in queryset.filter(email_status=EmailStatus.FAILED)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent again.",
                "%(count)d e-mails will be sent again.",
                again,
            )
            % {"count": again},
            messages.SUCCESS if again else messages.WARNING,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "frequency"]
    list_filter = ["category", "frequency"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
