import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Django runs its system checks for manage.py commands but not when a WSGI server (gunicorn,
# or runserver with DEBUG off) loads the application. In production, refuse to start without
# collected static files, PostgreSQL and Redis rather than answer every request with a 500.
from django.conf import settings  # noqa: E402

if not settings.DEBUG:
    from portal.checks import refuse_to_start_with_production_errors

    refuse_to_start_with_production_errors()
