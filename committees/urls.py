from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("nmu/", views.committee_list, name="committee-list"),
    path("nmu/<slug:slug>/", views.committee_detail, name="committee-detail"),
    path("nmu/<slug:slug>/folg/", views.committee_follow, name="committee-follow"),
    path("nmu/<slug:slug>/slutt-a-folge/", views.committee_unfollow, name="committee-unfollow"),
    path("nmu/<slug:slug>/rediger/", views.committee_edit, name="committee-edit"),
    path("nmu/<slug:slug>/styret/ny/", views.membership_add, name="membership-add"),
    path("nmu/<slug:slug>/styret/<int:pk>/", views.membership_edit, name="membership-edit"),
    path("nmu/<slug:slug>/styret/<int:pk>/avslutt/", views.membership_end, name="membership-end"),
    # The invitee's page (the token is the secret in the link they were sent).
    path(
        "nmu/<slug:slug>/invitasjon/<slug:token>/",
        views.invitation_answer,
        name="invitation-answer",
    ),
    path(
        "nmu/<slug:slug>/styret/invitasjoner/<int:pk>/trekk-tilbake/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    # Min side → Mine utvalg: the signed-in person's own memberships.
    path("min-side/utvalg/", views.membership_list, name="membership-list"),
]
