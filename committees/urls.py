from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="committee-list"),
    path("<slug:slug>/", views.committee_detail, name="committee-detail"),
    path("<slug:slug>/folg/", views.committee_follow, name="committee-follow"),
    path("<slug:slug>/slutt-a-folge/", views.committee_unfollow, name="committee-unfollow"),
    path("<slug:slug>/rediger/", views.committee_edit, name="committee-edit"),
    path("<slug:slug>/styret/ny/", views.membership_add, name="membership-add"),
    path("<slug:slug>/styret/<int:pk>/", views.membership_edit, name="membership-edit"),
    path("<slug:slug>/styret/<int:pk>/avslutt/", views.membership_end, name="membership-end"),
]
