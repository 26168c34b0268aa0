from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Build absolute links from SITE_URL so e-mails work behind a proxy and in tests."""

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL
