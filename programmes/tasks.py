from celery import shared_task

from . import services


@shared_task
def signup_contacts_purge_task() -> int:
    """Erase sign-ups' contact data SIGNUP_CONTACT_RETENTION_DAYS after their programme
    ended. Idempotent: safe to run twice (a second run finds nothing left to erase)."""
    return services.signup_contacts_purge()
