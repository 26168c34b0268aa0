"""Signing for the municipality in the admin. (Placeholder: built by the signing work.)
``AgreementAdmin`` inherits ``SigningAdminMixin``: its ``get_urls`` adds the signing page."""


class SigningAdminMixin:
    pass
