from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from grants.urls import figures_urlpatterns, open_data_urlpatterns
from users.mfa import staff_mfa_setup

from . import views

# Staff log in through allauth (rate limits, MFA), not the admin's own form.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Larvik kommune · Nærmiljøutvalg"
admin.site.index_title = gettext_lazy("Case handling")
admin.site.site_title = "Nærmiljøutvalg"
# The case lists are wide; the breadcrumbs and the index page are enough to find the way.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    # Public pages may be indexed; the admin, accounts, Min side and the language switch not.
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots_txt",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Where staff without a second factor are sent from any staff page (users/mfa.py).
    path("konto/2fa/oppsett/", staff_mfa_setup, name="staff_mfa_setup"),
    path("konto/", include("allauth.urls")),
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("personvern/", views.privacy, name="privacy"),
    path("min-side/", include("users.urls")),
    path("min-side/varsler/", include("notifications.urls")),
    path("", include("proposals.urls")),
    path("dugnad/", include("dugnads.urls")),
    path("avtaler/", include("agreements.urls")),
    path("tilskudd/", include("grants.urls")),
    path("nokkeltall/", include((figures_urlpatterns, "figures"))),
    path("apne-data/", include((open_data_urlpatterns, "opendata"))),
    path("", include("committees.urls")),
]

handler403 = "larvik_nmu.views.permission_denied"
# allauth answers its rate limits with this (users/throttling.py).
handler429 = "users.throttling.too_many_attempts"
handler404 = "larvik_nmu.views.page_not_found"
handler500 = "larvik_nmu.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
