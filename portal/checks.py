"""System checks for production mode (DEBUG off), run by `check --deploy` and by the WSGI
module when a server starts the portal (portal/wsgi.py): Django itself never checks there."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "portal_production"


@checks.register(PRODUCTION, deploy=True)
def static_files_collected(app_configs, **kwargs):
    """Without the manifest every {% static %} raises, so every page would be a 500."""
    storage = staticfiles_storage
    if isinstance(storage, ManifestFilesMixin) and not storage.manifest_storage.exists(
        storage.manifest_name
    ):
        return [
            checks.Error(
                f"The static files are not collected: {settings.STATIC_ROOT}/"
                f"{storage.manifest_name} is missing, so every page would fail.",
                hint="Run `python manage.py collectstatic --noinput` before starting.",
                id="portal.E001",
            )
        ]
    return []


@checks.register(PRODUCTION, deploy=True)
def shared_services_configured(app_configs, **kwargs):
    """Several web processes and the workers must share one database (data, sessions), one
    cache (allauth's rate limits) and one broker: SQLite, a per-process memory cache and the
    filesystem broker are for one developer's machine."""
    if settings.DEBUG:
        return []
    errors = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        errors.append(
            checks.Error(
                "Production mode needs PostgreSQL.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/portal.",
                id="portal.E002",
            )
        )
    if not settings.REDIS_URL:
        errors.append(
            checks.Error(
                "Production mode needs Redis for the cache (rate limits) and the Celery broker.",
                hint="Set REDIS_URL=redis://host:6379/0.",
                id="portal.E003",
            )
        )
    return errors


def refuse_to_start_with_production_errors() -> None:
    """Raise ImproperlyConfigured listing the production checks' errors, if any."""
    errors = [
        message
        for message in checks.run_checks(tags=[PRODUCTION], include_deployment_checks=True)
        if message.is_serious()
    ]
    if errors:
        raise ImproperlyConfigured(
            "The portal cannot start in production mode:\n"
            + "\n".join(str(error) for error in errors)
        )
