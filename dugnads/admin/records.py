"""What the dugnads' services write, for staff to look at: sign-ups, photos, the guests' e-mails
(administrators only), and the hourly value of voluntary work (the data itself: administrators
keep it, with its source).

People are shown by name to anyone who may not see addresses (``core.admin.may_see_addresses``:
a case handler): a guest's address is neither shown nor searchable for them, as a resident's
is not (``AccountFieldsMixin``)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AccountFieldsMixin, ReadOnlyAdmin, may_see_addresses
from core.formatting import money, public_name

from ..models import DugnadEvent, GuestMail, HourlyRate, Need, Photo, Signup


@admin.register(Signup)
class SignupAdmin(AccountFieldsMixin, ReadOnlyAdmin):
    """Who signed up for what (sign-ups are the residents' and guests' own)."""

    account_fields = ()
    private_address_fields = ("guest_email",)
    list_display = [
        "dugnad",
        "person",
        "is_guest_signup",
        "guest_email",
        "party_size",
        "need",
        "state",
        "created_at",
    ]
    list_filter = ["state", ("dugnad__committee", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["dugnad", "user", "need"]
    search_fields = [
        "dugnad__title",
        "guest_name",
        "guest_email",
        "user__full_name",
        "user__email",
    ]
    fields = [
        "dugnad",
        "person",
        "guest_email",
        "party_size",
        "need",
        "comment",
        "state",
        "created_at",
        "queued_at",
        "confirmed_at",
        "cancelled_at",
        "hours",
    ]
    ordering = ["-created_at", "-pk"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("name"), ordering="guest_name")
    def person(self, obj):
        return obj.guest_name if obj.is_guest else public_name(obj.user)

    @admin.display(description=_("guest"), boolean=True)
    def is_guest_signup(self, obj):
        return obj.is_guest


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    """The photos in the reports (re-encoded on upload, so no position stays in them)."""

    list_display = ["dugnad", "description", "content_type", "size", "uploader", "created_at"]
    list_select_related = ["dugnad", "uploaded_by"]
    list_filter = [("dugnad__committee", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["dugnad__title", "description"]
    fields = ["dugnad", "description", "content_type", "size", "uploader", "created_at"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]

    @admin.display(description=_("size (pixels)"))
    def size(self, obj):
        return f"{obj.width} × {obj.height}"

    @admin.display(description=_("uploaded by"))
    def uploader(self, obj):
        return public_name(obj.uploaded_by) if obj.uploaded_by_id else "–"


@admin.register(GuestMail)
class GuestMailAdmin(ReadOnlyAdmin):
    """The e-mails to guests and whether they went out: for administrators (a guest's address
    is personal data, and case handlers have no need of it)."""

    list_display = ["kind", "signup", "recipient", "created_at", "sent_at", "attempts"]
    list_select_related = ["signup", "signup__dugnad", "signup__user"]
    list_filter = ["kind"]
    search_fields = ["signup__guest_email", "signup__dugnad__title"]
    fields = ["kind", "signup", "recipient", "dedupe_key", "created_at", "sent_at", "attempts"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]

    def has_view_permission(self, request, obj=None):
        return may_see_addresses(request.user) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return may_see_addresses(request.user) and super().has_module_permission(request)

    @admin.display(description=_("to"))
    def recipient(self, obj):
        return obj.signup.guest_email


@admin.register(HourlyRate)
class HourlyRateAdmin(admin.ModelAdmin):
    """The hourly value of voluntary work per year, with where the figure comes from. This is
    the data the value of every dugnad's hours is worked out from; administrators keep it."""

    list_display = ["year", "rate", "source"]
    fields = ["year", "nok_per_hour", "source"]
    ordering = ["-year"]

    @admin.display(description=_("NOK per hour"), ordering="nok_per_hour")
    def rate(self, obj):
        return money(obj.nok_per_hour)


@admin.register(DugnadEvent)
class DugnadEventAdmin(AccountFieldsMixin, ReadOnlyAdmin):
    """Every dugnad's timeline (a log for staff); who acted by name for case handlers."""

    account_fields = ("actor",)
    list_display = [
        "dugnad",
        "kind",
        "from_state",
        "to_state",
        "actor",
        "actor_party",
        "created_at",
    ]
    list_filter = [
        "kind",
        "to_state",
        "actor_party",
        ("dugnad__committee", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["dugnad", "actor"]
    search_fields = ["dugnad__title", "message"]
    readonly_fields = [
        "dugnad",
        "kind",
        "actor",
        "actor_party",
        "from_state",
        "to_state",
        "message",
        "created_at",
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    """What the dugnads need people for (the organisers keep them on the dugnad's form)."""

    list_display = ["title", "dugnad", "people", "order"]
    list_filter = [("dugnad__committee", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["dugnad"]
    search_fields = ["title", "dugnad__title"]
    readonly_fields = ["dugnad", "title", "people", "order"]
    ordering = ["dugnad", "order", "pk"]
