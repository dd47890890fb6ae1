from django.core.management.base import BaseCommand

from portal.reminders import services


class Command(BaseCommand):
    help = (
        "Run one reminder sweep in this process, without a worker: record what is due and "
        "send what waits. Ends with 'recorded N, sent M, failed K'."
    )

    def handle(self, *args, **options):
        recorded = services.reminders_sweep()
        if recorded is None:
            self.stderr.write("Another sweep is running; nothing recorded by this one.")
            recorded = 0
        outcome = services.reminders_send_due()
        self.stdout.write(
            f"recorded {recorded}, sent {outcome['sent']}, failed {outcome['failed']}"
        )
