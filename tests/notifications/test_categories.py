"""The category registry: each app registers the topics it sends about (issue 9), so the
notifications app names none of the apps above it and offers exactly the topics in use."""

import pytest
from django.core import checks
from django.urls import reverse

from agreements.notifications import CATEGORY as AGREEMENTS
from committees.notifications import CATEGORY as COMMITTEE
from committees.notifications import FOLLOWING
from dugnads.notifications import CATEGORY as DUGNADS
from grants.notifications import CATEGORY as GRANTS
from notifications import categories, kinds, services
from notifications.checks import kinds_name_registered_categories
from notifications.models import Frequency, Notification, NotificationPreference
from notifications.unsubscribe import make_token
from proposals.notifications import CATEGORY as PROPOSALS

from ..factories import NotificationFactory

PREFERENCES = reverse("notifications:preferences")


@pytest.fixture
def registries(monkeypatch):
    """Registrations a test makes are undone afterwards (the apps' own stay as they were)."""
    monkeypatch.setattr(categories, "_CATEGORIES", dict(categories._CATEGORIES))
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))


def _library(order=20):
    """What a library app would register (there is none: a higher app's category in a test)."""
    category = categories.register_category(
        "library", label="Bibliotek", help_text="Bøker du har lånt.", order=order
    )
    kinds.register("library.due", category="library", label="Lånet går ut")
    return category


def test_the_apps_register_their_own_categories_in_order():
    assert [c.value for c in categories.categories()] == [
        PROPOSALS,
        DUGNADS,
        AGREEMENTS,
        GRANTS,
        FOLLOWING,
        COMMITTEE,
    ]
    assert categories.category(PROPOSALS).label == "Forslag"  # the msgids kept their translations
    assert categories.category(COMMITTEE).help_text.startswith("Vervene dine i utvalgsstyrer")


def test_registering_the_same_category_again_is_harmless(registries):
    proposals = categories.category(PROPOSALS)
    again = categories.register_category(
        PROPOSALS, label=proposals.label, help_text=proposals.help_text, order=proposals.order
    )
    assert again == proposals
    assert [c.value for c in categories.categories()] == [
        PROPOSALS,
        DUGNADS,
        AGREEMENTS,
        GRANTS,
        FOLLOWING,
        COMMITTEE,
    ]


@pytest.mark.parametrize("change", [{"label": "Saker"}, {"help_text": "Noe annet."}, {"order": 99}])
def test_registering_a_category_again_differently_is_a_bug(registries, change):
    proposals = categories.category(PROPOSALS)
    words = {"label": proposals.label, "help_text": proposals.help_text, "order": proposals.order}
    with pytest.raises(ValueError, match="already registered differently"):
        categories.register_category(PROPOSALS, **{**words, **change})
    assert categories.category(PROPOSALS) == proposals


def test_an_unknown_category_is_a_lookup_error():
    with pytest.raises(LookupError):
        categories.category("library")  # no app registers it (yet)
    assert categories.label_of("library") == "library"  # an old row still shows something


@pytest.mark.django_db
def test_notify_refuses_a_kind_whose_category_nobody_registered(registries, resident):
    kinds.register("library.due", category="library", label="Lånet går ut")
    with pytest.raises(ValueError, match="Unknown notification category 'library'"):
        services.notify(recipients=[resident], kind="library.due", context={}, dedupe_key="x")
    assert not Notification.objects.exists()


def test_a_system_check_names_a_kind_whose_category_nobody_registered(registries):
    assert kinds_name_registered_categories(None) == []
    kinds.register("library.due", category="library", label="Lånet går ut")
    [error] = kinds_name_registered_categories(None)
    assert error.id == "notifications.E002" and error.level == checks.ERROR
    assert "'library'" in error.msg


@pytest.mark.django_db
def test_preferences_refuse_a_category_nobody_registered(resident):
    with pytest.raises(ValueError):
        services.preferences_update(user=resident, frequencies={"library": Frequency.DAILY})
    assert not NotificationPreference.objects.exists()


def test_only_categories_in_use_are_offered_by_order_then_registration(registries):
    categories.register_category("unused", label="Ubrukt", help_text="Ingen sender noe her.")
    categories.register_category("garden", label="Hage", help_text="Hagen.", order=40)
    kinds.register("garden.watered", category="garden", label="Vannet")
    _library(order=20)
    # Order first (10, 20, 20, 25, 27, 30, 40, 40), then who registered first; "unused" has no kinds.
    assert [c.value for c in categories.categories_in_use()] == [
        PROPOSALS,
        DUGNADS,
        "library",
        AGREEMENTS,
        GRANTS,
        FOLLOWING,
        COMMITTEE,
        "garden",
    ]
    assert categories.categories()[-1].value == "unused"


@pytest.mark.django_db
def test_the_settings_page_shows_exactly_the_registered_categories_in_use(
    registries, client, resident
):
    _library()
    categories.register_category("unused", label="Ubrukt", help_text="Ingen sender noe her.")
    client.force_login(resident)
    response = client.get(PREFERENCES)
    fields = [PROPOSALS, DUGNADS, "library", AGREEMENTS, GRANTS, FOLLOWING, COMMITTEE]
    assert list(response.context["form"].fields) == fields
    content = response.content.decode()
    assert "Bøker du har lånt." in content  # the registering app's help text
    assert "Utvalg og styreverv" in content and "Vervene dine i utvalgsstyrer" in content
    assert "Ubrukt" not in content
    data = dict.fromkeys(fields, Frequency.IMMEDIATE)
    data["library"] = Frequency.WEEKLY
    client.post(PREFERENCES, data)
    assert NotificationPreference.objects.get(user=resident, category="library").frequency == (
        Frequency.WEEKLY
    )


@pytest.mark.django_db
def test_an_unsubscribe_link_naming_an_unregistered_category_is_refused(client, resident):
    token = make_token(user_id=resident.pk, categories=["library"])
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


@pytest.mark.django_db
def test_the_admin_filters_and_labels_by_the_registry(client, superuser, resident):
    NotificationFactory(recipient=resident, category=COMMITTEE, subject="Om styret")
    NotificationFactory(recipient=resident, category=PROPOSALS, subject="Om forslaget")
    NotificationPreference.objects.create(
        user=resident, category=COMMITTEE, frequency=Frequency.DAILY
    )
    client.force_login(superuser)
    changelist = reverse("admin:notifications_notification_changelist")
    filtered = client.get(changelist, {"category": COMMITTEE}).content.decode()
    assert "Om styret" in filtered and "Om forslaget" not in filtered
    assert "?category=proposals" in filtered  # the filter's choices come from the registry
    preferences = client.get(
        reverse("admin:notifications_notificationpreference_changelist")
    ).content.decode()
    assert "Utvalg og styreverv" in preferences  # the label, not the stored value


@pytest.mark.django_db
def test_the_admin_offers_only_registered_categories_for_a_preference(client, superuser, resident):
    client.force_login(superuser)
    add = reverse("admin:notifications_notificationpreference_add")
    form = client.get(add).context["adminform"].form
    assert [value for value, _label in form.fields["category"].choices] == [
        PROPOSALS,
        DUGNADS,
        AGREEMENTS,
        GRANTS,
        FOLLOWING,
        COMMITTEE,
    ]
    response = client.post(
        add, {"user": resident.pk, "category": "library", "frequency": Frequency.DAILY}
    )
    assert response.status_code == 200  # the form again, with an error
    assert not NotificationPreference.objects.exists()
