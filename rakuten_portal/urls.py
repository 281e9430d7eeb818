"""Top-level URLs: accounts, the three apps, the admin, the language switch."""
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from orders import views as order_views

urlpatterns = [
    path("", order_views.HomeView.as_view(), name="home"),
    path("langue/", order_views.set_language, name="set_language"),
    path("compte/connexion/", auth_views.LoginView.as_view(), name="login"),
    path("compte/", include("django.contrib.auth.urls")),
    path("", include("orders.urls")),
    path("reclamations/", include("claims.urls")),
    path("aide/", include("helpdesk.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_BARE_VIEW:
    # The benchmark's ceiling (bench/pages.py): the middleware stack and nothing else.
    urlpatterns.append(path("bench/bare/", lambda request: HttpResponse("ok"), name="bench_bare"))

handler404 = "orders.views.page_not_found"
handler500 = "orders.views.server_error"
handler403 = "orders.views.permission_denied"
