from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views
from .accounts import views as accounts_views

urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("privacy/", views.privacy, name="privacy"),
    path("start/", views.start, name="start"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ping/", views.ping, name="ping"),
    path("health/live/", views.health_live, name="health_live"),
    path("health/ready/", views.health_ready, name="health_ready"),
    # The address load balancers knew before the split: readiness.
    path("health/", views.health_ready, name="health"),
    path("metrics", views.metrics, name="metrics"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("account/my-data/", accounts_views.my_data, name="account_my_data"),
    path("account/delete/", accounts_views.account_delete, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    # Django's set_language, which also keeps a logged-in user's choice for their e-mails.
    path("i18n/setlang/", accounts_views.language_set, name="set_language"),
    path("", include("partnerships.urls")),
    path("news/", include("portal.news.urls")),
    path("programmes/", include("programmes.urls")),
    path("", include("portal.reminders.urls")),
    # Before the admin site's own login, which takes a password alone.
    path("admin/login/", accounts_views.admin_login),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
