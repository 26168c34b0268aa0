from django.urls import path, register_converter

from .converters import ReferenceConverter
from .views import case, drafts, public

# ``<reference:reference>``: only text shaped like a reference reaches a view (converters.py).
register_converter(ReferenceConverter, "reference")

app_name = "proposals"

urlpatterns = [
    path("forslag/", public.proposal_list, name="proposal-list"),
    path("forslag/ny/", drafts.proposal_create, name="proposal-create"),
    path("forslag/utkast/<int:pk>/", drafts.draft_preview, name="draft-preview"),
    path("forslag/utkast/<int:pk>/endre/", drafts.draft_edit, name="draft-edit"),
    path("forslag/utkast/<int:pk>/send-inn/", drafts.draft_submit, name="draft-submit"),
    path("forslag/utkast/<int:pk>/slett/", drafts.draft_delete, name="draft-delete"),
    path("forslag/vedlegg/<int:pk>/", public.attachment_download, name="attachment-download"),
    path("forslag/<reference:reference>/", public.proposal_detail, name="proposal-detail"),
    path("forslag/<reference:reference>/stott/", public.proposal_support, name="proposal-support"),
    path(
        "forslag/<reference:reference>/trekk-stotte/",
        public.proposal_unsupport,
        name="proposal-unsupport",
    ),
    path("forslag/<reference:reference>/folg/", public.proposal_follow, name="proposal-follow"),
    path(
        "forslag/<reference:reference>/slutt-a-folge/",
        public.proposal_unfollow,
        name="proposal-unfollow",
    ),
    path(
        "forslag/<reference:reference>/status/",
        case.proposal_transition,
        name="proposal-transition",
    ),
    path("forslag/<reference:reference>/meldinger/", case.message_create, name="message-create"),
    path("nmu/<slug:slug>/innboks/", case.committee_inbox, name="committee-inbox"),
    path("min-side/forslag/", public.my_proposals, name="my-proposals"),
]
