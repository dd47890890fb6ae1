from celery import shared_task

from . import exports


@shared_task(
    # Acknowledged after it ran, and put back if the worker dies meanwhile: the claim in
    # exports.agreement_export_build makes a second delivery harmless.
    acks_late=True,
    reject_on_worker_lost=True,
)
def agreement_export_build_task(pk: str) -> str:
    """Build one big Excel export and mail its user the link. Idempotent: safe to run twice."""
    return exports.agreement_export_build(pk)


@shared_task
def agreement_exports_sweep_task() -> None:
    """Beat's sweep: delete expired exports, queue again builds no worker got. Idempotent."""
    exports.agreement_exports_purge()
    exports.agreement_exports_dispatch()
