"""The portal's URLs plus uploaded files, for the live server (tests run with DEBUG off, so
portal/urls.py does not serve them)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from portal.urls import urlpatterns as portal_urlpatterns


def media(request, path):
    # MEDIA_ROOT is read per request: each test has its own folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*portal_urlpatterns, re_path(r"^media/(?P<path>.*)$", media)]
