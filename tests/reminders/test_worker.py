"""A real ``celery worker`` on a real Redis sends through a real SMTP server: every reminder
exactly once, none lost, whatever happens to the worker, the mail server or the broker.

Each test starts ``celery -A tests.reminders.worker_app worker`` as a subprocess on the
pytest test database (transaction=True: what the test writes is committed, so the worker
sees it) and an SMTP server in a thread (support.SmtpSink) that counts what it accepted by
Message-ID. Tests wait for the database to show an outcome, polling with a deadline.

The one window that remains (portal/reminders/services.py, README "Running the worker
reliably"): a worker killed after the mail server accepted a message and before the row is
marked sent. The row stays "sending", and after REMINDER_CLAIM_TIMEOUT the sweep sends it
again, so that one message arrives twice (same Message-ID). A test cannot kill a worker in
that gap on purpose without reaching into it, so the kill test below kills it while the
SMTP server still holds the DATA command (before acceptance), where exactly once must hold.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from django.conf import settings
from django.db import connection, connections
from django.db.models import F, Q

from portal.celery import app
from portal.reminders import services
from portal.reminders.models import Reminder
from portal.reminders.tasks import reminders_sweep_task
from tests.reminders.support import SmtpSink, broker_use, free_port, nudge_users

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# Seconds a test waits for an outcome before it fails. Generous: on this project's 2-core
# machine with other test runs beside it (load 7), a send takes ~0.2 s instead of ~0.02 s.
DEADLINE = 50
BATCH_DEADLINE = 240


def wait_for(condition, what: str, timeout: float = DEADLINE):
    """Poll condition until it is true (no fixed sleeps); fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)
    return value


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


class Worker:
    """``celery worker`` in its own process group (SIGKILL takes the pool with it)."""

    def __init__(self, tmp_path: Path, *, smtp: SmtpSink, broker: str, concurrency: int = 2):
        self.tmp_path, self.smtp, self.broker, self.concurrency = (
            tmp_path,
            smtp,
            broker,
            concurrency,
        )
        self.process = None
        self.runs = 0

    def start(self):
        self.runs += 1
        self.ready = self.tmp_path / f"worker-ready-{self.runs}"
        self.log = self.tmp_path / f"worker-{self.runs}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.broker,
            "EMAIL_URL": self.smtp.url,
            # The test's own private folder (conftest), where a worker's files must land.
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "PORTAL_TEST_WORKER_READY": str(self.ready),
            "PYTHONPATH": str(ROOT),
        }
        self.output = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.reminders.worker_app",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: self.ready.exists() or self.process.poll() is not None, "the worker")
        assert self.process.poll() is None, self.log.read_text()

    def kill(self):
        """SIGKILL to the whole process group: the main process and its pool at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.output.close()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.kill()
        if self.process is not None:
            self.output.close()
        # The killed worker's database sessions end with it; wait so the flush after the
        # test does not wait for their locks.
        connections.close_all()


@pytest.fixture
def broker():
    """The shared Redis (REDIS_URL: this helper's own db), emptied; tasks go to it."""
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    app.conf.task_always_eager = False
    broker_use(settings.REDIS_URL)
    yield settings.REDIS_URL
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture
def start_worker(tmp_path, broker):
    workers = []

    def start(smtp, *, concurrency=2, broker_url=None):
        worker = Worker(tmp_path, smtp=smtp, broker=broker_url or broker, concurrency=concurrency)
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()


def counts(status=None):
    rows = Reminder.objects.all()
    return rows.filter(status=status).count() if status else rows.count()


def all_sent(total):
    return lambda: counts(Reminder.Status.SENT) == total


def assert_exactly_once(smtp: SmtpSink, total: int):
    assert smtp.total() == total
    assert len(smtp.accepted) == total
    assert set(smtp.accepted.values()) == {1}
    assert counts(Reminder.Status.SENT) == counts() == total


def time_passes(minutes: int):
    """What the clock would do to the rows: their waits and claims lie that much further
    back (the worker reads the real clock, so the test moves the rows, not the clock)."""
    ago = timedelta(minutes=minutes)
    Reminder.objects.update(not_before=F("not_before") - ago)
    Reminder.objects.filter(claimed_at__isnull=False).update(claimed_at=F("claimed_at") - ago)
    Reminder.objects.filter(queued_at__isnull=False).update(queued_at=F("queued_at") - ago)


def test_a_batch_of_1000_reminders_is_sent_exactly_once(nudge, start_worker, capsys):
    nudge_users(1000)
    with SmtpSink() as smtp:
        start_worker(smtp)
        started = time.monotonic()
        reminders_sweep_task.delay()  # beat's tick: the worker records, queues and sends
        wait_for(all_sent(1000), "1,000 reminders sent", timeout=BATCH_DEADLINE)
        took = time.monotonic() - started
        assert_exactly_once(smtp, 1000)
    with capsys.disabled():
        print(f"\n1,000 reminders recorded and sent by a worker (2 processes) in {took:.1f} s")


def test_a_worker_killed_in_the_middle_and_started_again_sends_each_exactly_once(
    nudge, start_worker
):
    nudge_users(100)
    # The SMTP server accepts 40 messages, then holds the 41st DATA command: the worker
    # is killed while that message is unaccepted (one process, so nothing else is in flight).
    with SmtpSink(hold_after=40) as smtp:
        worker = start_worker(smtp, concurrency=1)
        reminders_sweep_task.delay()
        wait_for(smtp.holding.is_set, "the SMTP server to hold a message")
        worker.kill()
        smtp.release()
        assert smtp.total() == 40
        [held] = Reminder.objects.filter(status=Reminder.Status.SENDING)

        worker.start()
        # The tasks still queued are sent; the held row's task waits unacknowledged in Redis
        # (redelivered only after the visibility timeout, an hour).
        wait_for(all_sent(99), "the other 99 sent")
        held.refresh_from_db()
        assert held.status == Reminder.Status.SENDING
        # A sweep before REMINDER_CLAIM_TIMEOUT leaves the claimed row alone...
        assert services.reminders_dispatch() == 0
        # ...and the first one after it sends it.
        time_passes(settings.REMINDER_CLAIM_TIMEOUT // 60 + 1)
        reminders_sweep_task.delay()
        wait_for(all_sent(100), "the held reminder sent")
        assert_exactly_once(smtp, 100)
    held.refresh_from_db()
    assert held.attempts == 2


def test_a_mail_server_that_refuses_at_first_gets_every_reminder_once_after_retries(
    nudge, start_worker
):
    nudge_users(50)
    # 4xx to the first 60 DATA commands: every reminder fails once, ten of them twice.
    assert services.reminders_sweep() == 50
    with SmtpSink(refuse=60) as smtp:
        start_worker(smtp)
        reminders_sweep_task.delay()
        for attempt, backoff in enumerate([1, 2, 4], start=1):
            # The attempt is over when each row is sent, or was tried that often and waits
            # for its backoff (back to pending, no longer queued).
            wait_for(
                lambda attempt=attempt: (
                    not Reminder.objects.exclude(status=Reminder.Status.SENT)
                    .filter(
                        Q(attempts__lt=attempt)
                        | Q(status=Reminder.Status.SENDING)
                        | Q(queued_at__isnull=False)
                    )
                    .exists()
                ),
                f"attempt {attempt}",
            )
            if counts(Reminder.Status.SENT) == 50:
                break
            # The backoff (1, 2, 4 minutes) passes, and beat's next tick retries.
            time_passes(minutes=backoff)
            reminders_sweep_task.delay()
        wait_for(all_sent(50), "50 reminders sent")
        assert smtp.refused == 60
        assert_exactly_once(smtp, 50)
    attempts = sorted(Reminder.objects.values_list("attempts", flat=True))
    assert attempts == [2] * 40 + [3] * 10


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a private port, to stop and start again (the
    shared one on 6379 is never stopped)."""
    server = shutil.which("redis-server")
    if server is None:
        reason = "needs redis-server on the PATH (apt-get install redis-server)"
        if settings.REQUIRE_ALL_SERVICES:
            pytest.fail(f"{reason} (PORTAL_REQUIRE_ALL_SERVICES is set)", pytrace=False)
        pytest.skip(reason)
    port = free_port()
    processes = []

    def start():
        process = subprocess.Popen(
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory-policy",
                "noeviction",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
        )
        processes.append(process)
        client = redis.Redis(port=port)

        def up():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(up, "redis-server")

    def stop():
        processes[-1].terminate()
        processes[-1].wait(timeout=10)

    start()
    yield SimpleNamespace(url=f"redis://127.0.0.1:{port}/0", start=start, stop=stop)
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def test_reminders_made_while_redis_is_down_are_sent_when_it_is_back(
    nudge, start_worker, own_redis
):
    nudge_users(100)
    with SmtpSink() as smtp:
        broker_use(own_redis.url)
        start_worker(smtp, broker_url=own_redis.url)
        own_redis.stop()
        # Beat cannot tick without its broker either; the web app's sweep records, and its
        # dispatch finds nobody to hand the rows to.
        assert services.reminders_sweep() == 100
        assert services.reminders_dispatch() == 0
        assert counts(Reminder.Status.PENDING) == 100
        assert not Reminder.objects.filter(queued_at__isnull=False).exists()

        own_redis.start()
        reminders_sweep_task.delay()
        wait_for(all_sent(100), "the 100 reminders sent after Redis came back")
        assert_exactly_once(smtp, 100)


def test_two_sweeps_at_once_record_each_reminder_once_and_two_beats_send_it_once(
    nudge, start_worker, monkeypatch
):
    nudge_users(200)
    # The first sweep stops inside the rule until the second sweep has run beside it.
    entered, go = threading.Event(), threading.Event()
    due = type(nudge).due

    def slow_due(rule, today, offsets):
        if threading.current_thread().name == "first":
            entered.set()
            go.wait(timeout=DEADLINE)
        return due(rule, today, offsets)

    monkeypatch.setattr(type(nudge), "due", slow_due)
    outcome = {}

    def first():
        try:
            outcome["first"] = services.reminders_sweep()
        finally:
            connections.close_all()

    thread = threading.Thread(target=first, name="first")
    thread.start()
    assert entered.wait(timeout=DEADLINE)
    second = services.reminders_sweep()
    go.set()
    thread.join(timeout=DEADLINE)
    assert (outcome["first"], second) == (200, None)
    assert services.reminders_sweep() == 0
    assert counts() == 200

    with SmtpSink() as smtp:
        start_worker(smtp)
        # Two beats by mistake: both ticks sweep and queue every row; each is sent once.
        reminders_sweep_task.delay()
        reminders_sweep_task.delay()
        wait_for(all_sent(200), "200 reminders sent")
        # Both ticks have run (their dispatches queued every row, some twice), and a
        # sweep afterwards finds nothing more to send.
        wait_for(lambda: not redis.Redis.from_url(settings.REDIS_URL).llen("celery"), "queue")
        assert services.reminders_dispatch() == 0
        assert_exactly_once(smtp, 200)
