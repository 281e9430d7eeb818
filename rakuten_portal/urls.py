"""Top-level URLs: accounts, the three apps, the admin, the language switch."""
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from orders import views as order_views

from .password_reset import ThrottledPasswordResetView

admin.site.site_header = _("Rakuten — espace des conseillers")
admin.site.site_title = _("Conseillers Rakuten")
admin.site.index_title = _("Service client et SAV")
# The front page is the agents' desk (claims/desk.py), above the usual list of applications.
admin.site.index_template = "admin/desk_index.html"

urlpatterns = [
    path("", order_views.HomeView.as_view(), name="home"),
    # Browsers ask for /favicon.ico on pages that name none (the admin's).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    path("langue/", order_views.set_language, name="set_language"),
    path("compte/connexion/", auth_views.LoginView.as_view(), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("compte/mot-de-passe/change/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("compte/mot-de-passe/oublie/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("compte/mot-de-passe/oublie/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("compte/mot-de-passe/nouveau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("compte/mot-de-passe/enregistre/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("", include("orders.urls")),
    path("reclamations/", include("claims.urls")),
    path("aide/", include("helpdesk.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_BARE_VIEW:
    # The benchmark's ceiling (bench/pages.py): the middleware stack and nothing else.
    urlpatterns.append(path("bench/bare/", lambda request: HttpResponse("ok"), name="bench_bare"))

handler400 = "orders.views.bad_request"
handler404 = "orders.views.page_not_found"
handler500 = "orders.views.server_error"
handler403 = "orders.views.permission_denied"
