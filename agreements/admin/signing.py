"""Signing for the municipality in the admin.

``AgreementAdmin`` inherits :class:`SigningAdminMixin`:

- ``get_urls`` adds the signing page, ``<pk>/signer/`` (URL name
  ``admin:agreements_agreement_sign``), before the admin's own catch-all;
- ``signing_link`` is a read-only field for the change page (put it in ``readonly_fields`` and
  a fieldset): what the agreement waits for, the current terms' SHA-256, and the link to the
  signing page while it waits for the municipality.

The page is the committee's page's form (``views.signing.sign_page``) in the admin's frame: the
full terms, their hash, the signatures and the password. Only a case handler of the
agreement's own department holding ``agreements.sign_agreement`` may sign
(``permissions.can_sign_for_municipality``); other staff get 403, and the service checks again.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions, selectors
from ..models import Agreement, Party, State
from ..terms import terms_hash
from ..views.signing import sign_page

SIGN_TEMPLATE = "admin/agreements/agreement_sign.html"


class SigningAdminMixin:
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/signer/",
                self.admin_site.admin_view(self.sign_view),
                name="{}_{}_sign".format(*info),
            ),
            *super().get_urls(),
        ]

    def sign_url(self, agreement: Agreement) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            "admin:{}_{}_sign".format(*info),
            args=[agreement.pk],
            current_app=self.admin_site.name,
        )

    def sign_view(self, request, object_id):
        """The municipality's signing page; after signing, back to the agreement's page."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if not permissions.can_sign_for_municipality(request.user, obj):
            raise PermissionDenied
        agreement = selectors.agreement_get(number=obj.number)
        info = self.opts.app_label, self.opts.model_name
        change_url = reverse(
            "admin:{}_{}_change".format(*info),
            args=[agreement.pk],
            current_app=self.admin_site.name,
        )
        request.current_app = self.admin_site.name
        return sign_page(
            request,
            agreement,
            party=Party.MUNICIPALITY,
            template=SIGN_TEMPLATE,
            done_url=change_url,
            extra={
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": agreement,
                "change_url": change_url,
                "title": _("Sign %(number)s for the municipality") % {"number": agreement.number},
            },
        )

    @admin.display(description=gettext_lazy("Signing"))
    def signing_link(self, obj):
        """For the change page's ``readonly_fields``: what the agreement waits for, its terms'
        SHA-256 and, while it waits for the municipality, the link to sign (the page itself
        checks who may). Five queries (the terms' hash reads the lines)."""
        if obj is None or obj.pk is None:
            return "–"
        waits = {
            State.DRAFT: _("A draft: not sent for signing."),
            State.SENT: _("Waits for the committee's signature (its leader signs first)."),
            State.SIGNED_COMMITTEE: _("Signed by the committee: waits for the municipality."),
        }.get(obj.state, _("Signed by both parties."))
        current = terms_hash(obj)
        if obj.state != State.SIGNED_COMMITTEE:
            return format_html(
                '<p>{}</p><p>{} <code class="terms-hash">{}</code></p>',
                waits,
                _("SHA-256 of the current terms:"),
                current,
            )
        return format_html(
            '<p>{}</p><p>{} <code class="terms-hash">{}</code></p>'
            '<p><a class="button" href="{}" id="sign-for-municipality">{}</a></p>'
            "<p>{}</p>",
            waits,
            _("SHA-256 of the current terms:"),
            current,
            self.sign_url(obj),
            _("Sign for the municipality"),
            _(
                "Only a case handler of %(department)s with the right to sign for the "
                "department can sign."
            )
            % {"department": obj.department.name},
        )
