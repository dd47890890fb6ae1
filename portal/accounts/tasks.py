from celery import shared_task

from . import audit


@shared_task
def audit_events_purge_task() -> int:
    """Delete audit events older than AUDIT_RETENTION_DAYS. Idempotent: safe to run twice."""
    return audit.audit_events_purge()
