"""The portal's URLs plus views that fail on purpose, for the error pages and logs."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def broken(request):
    raise RuntimeError("a bug in a view")


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


urlpatterns = [
    *portal_urlpatterns,
    path("test/broken/", broken),
    path("test/suspicious/", suspicious),
]
