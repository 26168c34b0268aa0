from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("innstillinger/", views.preferences, name="preferences"),
    path("klokke/", views.bell, name="bell"),
    path("alle-lest/", views.notification_mark_all_read, name="mark-all-read"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/lest/", views.notification_mark_read, name="mark-read"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
