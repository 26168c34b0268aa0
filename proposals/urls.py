from django.urls import path

from .views import case, drafts, public

app_name = "proposals"

urlpatterns = [
    path("forslag/", public.proposal_list, name="proposal-list"),
    path("forslag/ny/", drafts.proposal_create, name="proposal-create"),
    path("forslag/utkast/<int:pk>/", drafts.draft_preview, name="draft-preview"),
    path("forslag/utkast/<int:pk>/endre/", drafts.draft_edit, name="draft-edit"),
    path("forslag/utkast/<int:pk>/send-inn/", drafts.draft_submit, name="draft-submit"),
    path("forslag/utkast/<int:pk>/slett/", drafts.draft_delete, name="draft-delete"),
    path("forslag/vedlegg/<int:pk>/", public.attachment_download, name="attachment-download"),
    path("forslag/<str:reference>/", public.proposal_detail, name="proposal-detail"),
    path("forslag/<str:reference>/stott/", public.proposal_support, name="proposal-support"),
    path(
        "forslag/<str:reference>/trekk-stotte/",
        public.proposal_unsupport,
        name="proposal-unsupport",
    ),
    path("forslag/<str:reference>/folg/", public.proposal_follow, name="proposal-follow"),
    path(
        "forslag/<str:reference>/slutt-a-folge/",
        public.proposal_unfollow,
        name="proposal-unfollow",
    ),
    path("forslag/<str:reference>/status/", case.proposal_transition, name="proposal-transition"),
    path("forslag/<str:reference>/meldinger/", case.message_create, name="message-create"),
    path("nmu/<slug:slug>/innboks/", case.committee_inbox, name="committee-inbox"),
    path("min-side/forslag/", public.my_proposals, name="my-proposals"),
]
