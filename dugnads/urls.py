from django.urls import path

from . import views

app_name = "dugnads"

urlpatterns = [
    path("", views.dugnad_list, name="dugnad-list"),
    path("<int:pk>/", views.dugnad_detail, name="dugnad-detail"),
]
