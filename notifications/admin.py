"""What was sent to whom: a read-only record for municipal staff, with "send again"."""

from django import forms
from django.contrib import admin, messages
from django.template.defaultfilters import linebreaks_filter, truncatechars
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AccountFieldsMixin, ReadOnlyAdmin, SafeLookupsMixin

from . import categories, kinds, selectors, services
from .models import EmailStatus, Notification, NotificationPreference


class KindFilter(admin.SimpleListFilter):
    """The registered kinds, without a query for distinct values."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.key, kind.label) for kind in kinds.all_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


def _category_choices():
    return [(category.value, category.label) for category in categories.categories()]


class CategoryFilter(admin.SimpleListFilter):
    """The registered categories (the field has no choices: the apps register them)."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return _category_choices()

    def queryset(self, request, queryset):
        return queryset.filter(category=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(AccountFieldsMixin, ReadOnlyAdmin):
    """Notifications come from the services and are a record of what was said: nothing is
    typed in, changed or deleted here (old ones are deleted by ``notifications.delete_old``)."""

    account_fields = ("recipient",)

    list_display = [
        "short_subject",
        "recipient",
        "kind_label",
        "created_at",
        "email_status",
        "attempts",
        "is_read",
    ]
    list_filter = ["email_status", CategoryFilter, KindFilter, "channel", "created_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__full_name", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["send_again"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "recipient",
                    "category_label",
                    "kind_label",
                    "subject",
                    "text",
                    "target_url",
                ]
            },
        ),
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
        (_("Details"), {"fields": ["language", "dedupe_key", "created_at", "read_at"]}),
    ]

    @admin.display(description=_("subject"), ordering="subject")
    def short_subject(self, obj):
        return truncatechars(obj.subject, 70)

    @admin.display(description=_("category"), ordering="category")
    def category_label(self, obj):
        return obj.category_label

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        try:
            return kinds.get(obj.kind).label
        except LookupError:
            return obj.kind

    @admin.display(description=_("text"))
    def text(self, obj):
        return linebreaks_filter(obj.body, autoescape=True)

    @admin.display(description=_("read"), boolean=True)
    def is_read(self, obj):
        return obj.read_at is not None

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "outbox": selectors.outbox_health()}
        return super().changelist_view(request, extra_context=extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]

    @admin.action(description=_("Send the e-mail again (failed only)"), permissions=["view"])
    def send_again(self, request, queryset):
        again = sum(
            services.notification_resend(notification=notification)
            for notification in queryset.filter(email_status=EmailStatus.FAILED)
        )
        if not again:
            self.message_user(
                request,
                _(
                    "None of the selected notifications has a failed e-mail, so nothing was sent again."
                ),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent again.",
                "%(count)d e-mails will be sent again.",
                again,
            )
            % {"count": again},
            messages.SUCCESS,
        )


class NotificationPreferenceForm(forms.ModelForm):
    """The category is chosen among the registered ones (the model field has no choices)."""

    category = forms.ChoiceField(label=_("category"), choices=_category_choices)

    class Meta:
        model = NotificationPreference
        fields = ["user", "category", "frequency"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(AccountFieldsMixin, SafeLookupsMixin, admin.ModelAdmin):
    form = NotificationPreferenceForm
    list_display = ["user", "category_label", "frequency"]
    list_filter = [CategoryFilter, "frequency"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("category"), ordering="category")
    def category_label(self, obj):
        return obj.category_label
