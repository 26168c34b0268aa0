"""Norwegian for strings that Django 6.1 shows but whose own nb catalogue does not yet have.

Our ``locale/nb`` comes first in LOCALE_PATHS, so translating these msgids here fills the gaps in
the admin and in password validation. The function is never called: it only exists so that
``makemessages`` finds the msgids. Remove an entry when Django's catalogue catches up.
"""

from django.utils.translation import gettext_noop, ngettext


def _catalogue():  # pragma: no cover - read by makemessages, never run
    # django.contrib.auth.password_validation (msgid changed to %d in Django 6.x)
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    )
    # django.forms: the blank choice (admin actions, select fields)
    gettext_noop("- Select an option -")
    # django.contrib.admin templates
    gettext_noop("Add link")
    gettext_noop("Change or view list link")
    gettext_noop("Model name")
    gettext_noop("Run")
    gettext_noop("Show counts")
    gettext_noop("Hide counts")
    gettext_noop("Sidebar")
    gettext_noop("Filter navigation items")
    gettext_noop("Start typing to filter…")
    gettext_noop("Toggle theme (current theme: auto)")
    gettext_noop("Toggle theme (current theme: light)")
    gettext_noop("Toggle theme (current theme: dark)")
    gettext_noop("Search %(name)s")
    gettext_noop("Pagination %(name)s")
    gettext_noop("Pagination %(name)s entries")
    gettext_noop("Filter by %(field_name)s")
    gettext_noop("By %(filter_title)s")
    gettext_noop("View selected %(model)s")
    gettext_noop("Set password")
    gettext_noop("Reset password")
    gettext_noop("Password-based authentication")
    gettext_noop("Enabled")
    gettext_noop("Disabled")
    # django-allauth: clearer Norwegian than its own catalogue, and the same words as our menu
    gettext_noop("Sign Up")
    gettext_noop("Are you sure you want to sign out?")
    gettext_noop("Change Password")
    gettext_noop("Confirmation email sent to %(email)s.")
    # ... and in English (locale/en), the same words as our own menu, in sentence case
    gettext_noop("Sign In")
    gettext_noop("Sign Out")
    gettext_noop("Signup")
    gettext_noop("Email Address")
    gettext_noop("Email Addresses")
    gettext_noop("Remember Me")
    gettext_noop("Reset My Password")
    gettext_noop("Two-Factor Authentication")
