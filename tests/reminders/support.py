"""What the reminder tests share: a rule that only tests register, and a real SMTP server.

The rule nudges every user whose address ends in ``@nudge.example`` (one e-mail per user and
offset), so a test decides how many reminders are due by how many such users it makes, and
the worker (tests/reminders/worker_app.py) registers the same rule to render them.
"""

import asyncio
import logging
import socket
import threading
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

from portal.reminders import rules

TEMPLATES = Path(__file__).parent / "templates"
DOMAIN = "@nudge.example"


@dataclass
class NudgeRule(rules.Rule):
    employer: bool = False

    def due(self, today, offsets):
        from portal.accounts.models import User

        for user in User.objects.filter(email__endswith=DOMAIN, is_active=True).order_by("pk"):
            for offset in offsets:
                yield rules.Due(
                    target=user, occasion=str(offset), recipient=user, employer=self.employer
                )


def nudge_rule(code="test_nudge", *, employer=False) -> NudgeRule:
    return NudgeRule(
        code=code,
        category="agreements",
        label="Test nudge",
        template="reminders_test/nudge",
        default_offsets=[7],
        employer=employer,
    )


def rule_remove(code: str) -> None:
    rules._rules.pop(code, None)


def nudge_users(count: int, *, start: int = 0) -> list:
    from portal.accounts.models import User

    return User.objects.bulk_create(
        User(email=f"person{n}{DOMAIN}", full_name=f"Person {n}", password="!")
        for n in range(start, start + count)
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server in a thread that counts the messages it accepted by Message-ID.

    ``refuse`` DATA commands are answered 451 (a 4xx: try later) before it accepts any;
    with ``hold_after=n`` the DATA command after the first n accepted messages waits until
    ``release()`` (a test kills the worker meanwhile) and is then refused, never counted.
    """

    def __init__(self, *, refuse: int = 0, hold_after: int | None = None):
        self.accepted: Counter = Counter()
        self.refused = 0
        self._refuse = refuse
        self._hold_after = hold_after
        self.holding = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    def __enter__(self):
        # aiosmtpd logs every command at INFO: thousands of lines for a batch.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def total(self) -> int:
        with self._lock:
            return sum(self.accepted.values())

    def release(self) -> None:
        self._released.set()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refused < self._refuse:
                self.refused += 1
                return "451 4.3.0 Try again later"
            hold = (
                self._hold_after is not None
                and not self.holding.is_set()
                and sum(self.accepted.values()) >= self._hold_after
            )
        if hold:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self._released.wait, 60)
            return "451 4.3.0 Held, then refused"
        message_id = message_from_bytes(envelope.original_content)["Message-ID"]
        with self._lock:
            self.accepted[message_id] += 1
        return "250 OK"


def broker_use(url: str) -> None:
    """Point this process's Celery app at another broker (Celery keeps its connection and
    producer pools, and kombu a registry of them: all dropped)."""
    from kombu import pools

    from portal.celery import app

    app.conf.broker_url = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
