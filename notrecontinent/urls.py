from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from accounts.views import LoginView

from . import views

admin.site.site_header = _("Notre Continent — modération")
admin.site.site_title = "Notre Continent"
admin.site.index_title = _("Tableau de bord")
# The lists need the width: the apps are one click away on the dashboard.
admin.site.enable_nav_sidebar = False

handler500 = views.server_error

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # allauth's log-in, answering 429 once a failed-login budget is spent (accounts/views.py).
    path("accounts/login/", LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("comments.urls")),
    path("", include("reports.urls")),
    path("", include("sitepages.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    ]
