"""What shared caches (a proxy, a CDN) may keep: nothing shown to a logged-in user.

Pages for a logged-in user hold their agreements, contacts and names. Each such response
gets Cache-Control: private, so only the user's own browser keeps it, unless the view has
said otherwise (document downloads say no-store; a public article's photo says public).
Pages for anonymous visitors (the news, the front page) are the same for everyone and stay
cacheable.
"""

from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response
