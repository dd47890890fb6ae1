from celery import shared_task

from . import services


@shared_task
def reminders_sweep_task() -> None:
    """Beat's periodic sweep: record what is due, then queue what waits to be sent."""
    services.reminders_sweep()
    services.reminders_dispatch()


@shared_task(
    # Acknowledged after it ran, and put back if the worker dies meanwhile: the claim in
    # services.reminder_send makes a second delivery harmless.
    acks_late=True,
    reject_on_worker_lost=True,
)
def reminder_send_task(pk: int) -> str:
    return services.reminder_send(pk)
