from smtplib import SMTPException

from celery import shared_task

from . import audit, services


@shared_task(
    autoretry_for=(SMTPException, OSError),
    max_retries=8,
    # 30 s, 1 min, 2 min ... capped at 10 min, with jitter: about 45 minutes in all.
    retry_backoff=30,
    retry_backoff_max=600,
)
def email_send_task(message: dict) -> None:
    """Send one message made by services.email_serialise. Retries while the mail server
    does not answer. Not idempotent: a send that failed half-way may arrive twice, which
    beats a confirmation link that never arrives."""
    services.email_send(message=message)


@shared_task
def audit_events_purge_task() -> int:
    """Delete audit events older than AUDIT_RETENTION_DAYS. Idempotent: safe to run twice."""
    return audit.audit_events_purge()
