"""Run the whole portal for development: web server, Celery worker and Celery beat.

Ctrl-C (or SIGTERM) stops all three. Each runs as its own process so that a crash in one is
visible in the shared output, and the command exits when any of them does.
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Starts the web server on ADDRPORT with a Celery worker and beat; Ctrl-C stops all."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addrport],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-l",
                "info",
                "--concurrency",
                "2",
            ],
            "beat": [python, "-m", "celery", "-A", "portal", "beat", "-l", "info"],
        }
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        self.stdout.write(
            self.style.SUCCESS(f"The portal runs at http://{addrport}/ (Ctrl-C stops it)")
        )

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                exited = [name for name, p in processes.items() if p.poll() is not None]
                if exited:
                    self.stderr.write(f"{', '.join(exited)} stopped; stopping the rest.")
                    break
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for p in processes.values():
                if p.poll() is None:
                    p.terminate()
            for p in processes.values():
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
