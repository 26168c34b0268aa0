from django.urls import path

from .views import calendar, manage, public, reports, signups

app_name = "dugnads"

urlpatterns = [
    # Public (views/public.py)
    path("", public.dugnad_list, name="dugnad-list"),
    path("tidligere/", public.dugnad_list_past, name="dugnad-list-past"),
    path("mine/", public.my_dugnads, name="my-dugnads"),
    path("<int:pk>/", public.dugnad_detail, name="dugnad-detail"),
    # Signing up (views/signups.py)
    path("<int:pk>/pamelding/", signups.signup_create, name="signup-create"),
    path("<int:pk>/avmelding/", signups.signup_cancel, name="signup-cancel"),
    path("pamelding/<str:token>/", signups.guest_signup, name="guest-signup"),
    # The organisers (views/manage.py)
    path("ny/<slug:slug>/", manage.dugnad_create, name="dugnad-create"),
    path("<int:pk>/endre/", manage.dugnad_edit, name="dugnad-edit"),
    path("<int:pk>/steg/<str:to_state>/", manage.dugnad_transition, name="dugnad-transition"),
    path("<int:pk>/deltakere/", manage.participant_list, name="participant-list"),
    path("<int:pk>/deltakere.csv", manage.participant_csv, name="participant-csv"),
    path("<int:pk>/melding/", manage.participant_message, name="participant-message"),
    # The report after the event (views/reports.py)
    path("<int:pk>/rapport/", reports.dugnad_report, name="dugnad-report"),
    path("bilde/<int:pk>/", reports.photo, name="photo"),
    # Calendars (views/calendar.py)
    path("<int:pk>/kalender.ics", calendar.dugnad_ics, name="dugnad-ics"),
    path("kalender.ics", calendar.feed_all, name="feed-all"),
    path("kalender/<slug:slug>.ics", calendar.feed_committee, name="feed-committee"),
]
