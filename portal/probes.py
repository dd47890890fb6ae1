"""Kubernetes probes and Prometheus scrapes reach the pod directly, by its IP address:
their Host header is no name in ALLOWED_HOSTS, and they speak plain HTTP inside the cluster.
This middleware, early in the chain (after the metrics; probes are not logged per request),
answers them before the host check and the HTTPS redirect; every other request goes on."""

from django.urls import resolve

from . import views

PROBES = {
    "/health/live/": views.health_live,
    "/health/ready/": views.health_ready,
    # Still only on the metrics port or with the token (portal.views.metrics).
    "/metrics": views.metrics,
}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            request.resolver_match = resolve(request.path_info)  # the metrics' view label
            return view(request)
        return self.get_response(request)
