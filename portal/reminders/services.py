"""Recording, sweeping and sending reminders: exactly once, and never lost.

- Recording: a row per (rule, object, recipient, occasion) under a unique key, in the
  transaction of whatever made it due. Two sweeps (two beats by mistake, overlapping runs)
  insert the same keys and the second insert does nothing.
- Sending: ``reminder_send`` claims the row with one conditional UPDATE (pending -> sending);
  a task the broker delivers twice finds nothing to claim. After the mail server accepts
  the message the row is marked sent. A failing mail server puts the row back to pending
  with a later ``not_before`` (backoff), up to REMINDER_MAX_ATTEMPTS, then "failed", which
  admins see and can resend.
- Nothing waits in the broker: ``reminders_dispatch`` queues what the database says is due,
  so rows recorded while the broker was down, or whose task a killed worker lost, are sent
  by the next sweep.

The one window that remains: a worker killed after the mail server accepted a message and
before the row is marked sent. The row stays "sending"; after REMINDER_CLAIM_TIMEOUT the
sweep sends it again, so that message arrives twice (with the same Message-ID, which mail
clients use to fold duplicates). Losing it instead would be worse.
"""

import logging
import secrets
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from . import mail, rules, selectors
from .models import (
    REQUIRED_CATEGORIES,
    CalendarFeed,
    Category,
    Reminder,
    ReminderSetting,
    Unsubscription,
)

logger = logging.getLogger(__name__)

SWEEP_LOCK = 0x7265_6D69  # pg_advisory lock id: "remi"


# --- Recording ------------------------------------------------------------------------------


def _key(rule: str, target, recipient_id, email: str, occasion: str) -> str:
    where = f"{target._meta.label_lower}.{target.pk}" if target is not None else "-"
    who = f"u{recipient_id}" if recipient_id else email.lower()
    return f"{rule}:{where}:{who}:{occasion}"[:255]


def _email(due: rules.Due) -> str:
    return due.recipient.email if due.recipient is not None else due.email


# What differs from one recorded row to the next, and whether it is to an employer (whose
# not_before waits for the send window); every other column is the same for all the rows
# of a rule (_constants).
ROW_FIELDS = ["key", "recipient", "email", "language", "target_type", "target_id", "occasion"]


def _rows(rule: rules.Rule, dues) -> dict[str, tuple]:
    """key -> (*ROW_FIELDS values, employer), ids rather than objects, for the first due of
    each key."""
    rows = {}
    type_ids = {}
    for due in dues:
        email = _email(due)
        if not email:
            continue
        user, target = due.recipient, due.target
        key = _key(rule.code, target, user.pk if user is not None else None, email, due.occasion)
        if key in rows:
            continue
        type_id = None
        if target is not None:
            model = type(target)
            if model not in type_ids:
                type_ids[model] = ContentType.objects.get_for_model(target).pk
            type_id = type_ids[model]
        rows[key] = (
            key,
            user.pk if user is not None else None,
            email,
            due.language or getattr(user, "language", "") or settings.LANGUAGE_CODE,
            type_id,
            target.pk if target is not None else None,
            due.occasion,
            due.employer,
        )
    return rows


def _constants(rule: rules.Rule) -> dict:
    """Field -> value for the columns every new row of rule shares (not_before aside): the
    model's defaults, read from one unsaved instance so that a field added later gets its
    default here too. created_at is the moment of recording, as auto_now_add makes it."""
    blank = Reminder(rule=rule.code, category=rule.category, created_at=timezone.now())
    return {
        field: getattr(blank, field.attname)
        for field in Reminder._meta.concrete_fields
        if not field.primary_key and field.name not in [*ROW_FIELDS, "not_before"]
    }


def _insert_new(rule: rules.Rule, rows: list[tuple], now: datetime) -> int:
    """INSERT ... SELECT FROM unnest(one array per column) for the keys not recorded yet.
    No model instance per row: building and saving 34,000 of them through the ORM took two
    thirds of the first sweep of the large world (docs/BENCHMARKS.md). NOT EXISTS leaves
    known keys out before they take an id from the sequence (every sweep meets tens of
    thousands); ON CONFLICT DO NOTHING covers a key another transaction records meanwhile.
    Returns how many are new."""
    meta = Reminder._meta
    qn = connection.ops.quote_name
    varying = [meta.get_field(name) for name in ROW_FIELDS]
    constants = _constants(rule)
    when = meta.get_field("not_before")
    columns = [qn(field.column) for field in [*varying, when, *constants]]
    names = [*(qn(field.column) for field in varying), "employer"]
    arrays = [f"%s::{field.db_type(connection)}[]" for field in varying] + ["%s::boolean[]"]
    values = [
        *(f"due.{name}" for name in names[:-1]),
        f"CASE WHEN due.employer THEN %s ELSE %s END::{when.db_type(connection)}",
        *(f"CAST(%s AS {field.db_type(connection)})" for field in constants),
    ]
    table, key = qn(meta.db_table), qn(meta.get_field("key").column)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"
        f" FROM unnest({', '.join(arrays)}) AS due({', '.join(names)})"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} known WHERE known.{key} = due.{key})"
        f" ON CONFLICT ({key}) DO NOTHING"
    )
    shared = [
        rules.send_window_start(now),
        now,
        *(field.get_db_prep_save(value, connection) for field, value in constants.items()),
    ]
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            data = [_array_literal(column) for column in zip(*chunk, strict=True)]
            cursor.execute(sql, [*shared, *data])
            inserted += cursor.rowcount
    return inserted


def _array_literal(values) -> str:
    """A PostgreSQL array as one text parameter ('{"a","b",NULL}'): psycopg2 sends a list as
    ARRAY['a', 'b', ...], an expression per element, which PostgreSQL took four times as
    long to parse as this text."""
    quoted = (
        "NULL"
        if value is None
        else '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
        for value in values
    )
    return "{" + ",".join(quoted) + "}"


def _create_new(rule: rules.Rule, rows: dict[str, tuple], now: datetime) -> int:
    """The same through the ORM, for SQLite (the development default), known keys left out
    first, as bulk_create there does not say how many it inserted."""
    constants = {field.attname: value for field, value in _constants(rule).items()}
    attnames = [Reminder._meta.get_field(name).attname for name in ROW_FIELDS]
    window = rules.send_window_start(now)
    keys = list(rows)
    new = []
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        known = set(Reminder.objects.filter(key__in=chunk).values_list("key", flat=True))
        for key in chunk:
            if key not in known:
                *values, employer = rows[key]
                fields = dict(zip(attnames, values, strict=True))
                new.append(Reminder(**constants, **fields, not_before=window if employer else now))
    # ignore_conflicts: a row another transaction inserted meanwhile is not an error.
    Reminder.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def reminders_record(rule: rules.Rule, dues, *, now: datetime | None = None) -> int:
    """Record each due reminder not recorded before; returns how many are new. A sweep meets
    the same tens of thousands of dues every time, so known keys cost a lookup, no row."""
    now = now or timezone.now()
    rows = _rows(rule, dues)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _insert_new(rule, list(rows.values()), now)
    return _create_new(rule, rows, now)


def setting_for(rule: rules.Rule) -> ReminderSetting:
    setting, _ = ReminderSetting.objects.get_or_create(
        rule=rule.code, defaults={"offsets": list(rule.default_offsets)}
    )
    return setting


def _sweep_lock() -> bool:
    """One sweep at a time across every beat and worker (PostgreSQL advisory lock, held
    until the transaction ends). SQLite runs one process and serialises writes anyway."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK])
        return cursor.fetchone()[0]


def reminders_sweep(*, now: datetime | None = None) -> int | None:
    """Record every reminder the rules find due. Returns how many are new, or None when
    another sweep holds the lock."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    recorded = 0
    with transaction.atomic():
        if not _sweep_lock():
            logger.info("Another reminder sweep is running; this one stops")
            return None
        for rule in rules.rules_all():
            setting = setting_for(rule)
            if setting.active:
                recorded += reminders_record(rule, rule.due(today, setting.offsets), now=now)
    return recorded


# --- Sending --------------------------------------------------------------------------------


def _waiting(now: datetime):
    """Rows to send now: pending and due, or claimed by a worker that died long ago."""
    stale = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    return Reminder.objects.filter(
        Q(status=Reminder.Status.PENDING, not_before__lte=now)
        | Q(status=Reminder.Status.SENDING, claimed_at__lt=stale)
    )


def reminders_dispatch(*, now: datetime | None = None) -> int:
    """Queue a send task for every row waiting to be sent that is not queued already (or
    was queued long ago: its task may have been lost with a worker). Returns how many."""
    from .tasks import reminder_send_task

    now = now or timezone.now()
    requeue = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    ids = list(
        _waiting(now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=requeue))
        .order_by("not_before", "pk")
        .values_list("pk", flat=True)
    )
    queued = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        # Marked before it is queued: a worker that fails the send at once sets queued_at
        # back to None (its backoff), and a mark made after that would hide the row from
        # the sweeps until REMINDER_CLAIM_TIMEOUT instead of its 1, 2, 4 ... minutes.
        Reminder.objects.filter(pk__in=chunk).update(queued_at=now)
        for index, pk in enumerate(chunk):
            try:
                reminder_send_task.delay(pk)
            except BrokerError:
                logger.warning("The Celery broker does not answer; the next sweep queues the rest")
                Reminder.objects.filter(pk__in=chunk[index:], queued_at=now).update(queued_at=None)
                return queued
            queued += 1
    return queued


def _claim(pk: int, now: datetime) -> bool:
    """Take the row if it is still waiting (the same test as the dispatch's), in one UPDATE."""
    return bool(
        _waiting(now)
        .filter(pk=pk)
        .update(status=Reminder.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def reminder_send(pk: int, *, now: datetime | None = None) -> str:
    """Send one reminder if it is still waiting; returns what became of it: "sent",
    "failed" (will be retried, or failed for good), "unsubscribed", "obsolete", or
    "skipped" when there was nothing to claim (sent already, or another worker has it)."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return "skipped"
    reminder = Reminder.objects.select_related("recipient", "target_type").get(pk=pk)
    try:
        message = mail.build(reminder)
    except Exception:
        # A rule that cannot render is a bug: keep the row (an admin sees it failed), and
        # let the other rows go.
        logger.exception("Reminder %s could not be rendered", reminder.key)
        return _failed(reminder, "rendering failed", now, final=True)
    if message is None:
        return _finish(reminder, Reminder.Status.OBSOLETE, now)
    if mail.unsubscribed(reminder):
        return _finish(reminder, Reminder.Status.UNSUBSCRIBED, now)
    try:
        message.send()
    except (SMTPException, OSError) as error:
        logger.warning("Reminder %s: the mail server failed (%s)", reminder.key, error)
        final = reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS
        return _failed(reminder, str(error) or error.__class__.__name__, now, final=final)
    return _finish(reminder, Reminder.Status.SENT, now)


def _ours(reminder: Reminder, now: datetime):
    """The row while it is still this worker's claim: one that hung past
    REMINDER_CLAIM_TIMEOUT and was claimed again by another must not be set back."""
    return Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING, claimed_at=now)


def _finish(reminder: Reminder, status: str, now: datetime) -> str:
    _ours(reminder, now).update(
        status=status,
        sent_at=now if status == Reminder.Status.SENT else None,
        subject=reminder.subject[:300],
        link=reminder.link[:500],
        message=None,
        last_error="",
    )
    transaction.on_commit(lambda: selectors.notifications_unread_forget([reminder.recipient_id]))
    return str(status)


def _failed(reminder: Reminder, error: str, now: datetime, *, final: bool) -> str:
    _ours(reminder, now).update(
        status=Reminder.Status.FAILED if final else Reminder.Status.PENDING,
        not_before=now + _backoff(reminder.attempts),
        queued_at=None,
        last_error=error[:2000],
    )
    return "failed"


def reminders_send_due(*, now: datetime | None = None) -> dict[str, int]:
    """Send, in this process, everything waiting (``run_reminders``: no worker needed)."""
    now = now or timezone.now()
    outcome = {"sent": 0, "failed": 0}
    for pk in _waiting(now).order_by("not_before", "pk").values_list("pk", flat=True):
        result = reminder_send(pk, now=now)
        if result in outcome:
            outcome[result] += 1
    return outcome


def reminders_resend(reminders) -> int:
    """An admin's "send again" for failed (or sent) reminders: back to pending, now."""
    again = reminders.filter(
        status__in=[Reminder.Status.FAILED, Reminder.Status.SENT, Reminder.Status.OBSOLETE]
    )
    recipients = list(again.values_list("recipient_id", flat=True).distinct())
    transaction.on_commit(lambda: selectors.notifications_unread_forget(recipients))
    return again.update(
        status=Reminder.Status.PENDING,
        not_before=timezone.now(),
        attempts=0,
        queued_at=None,
        last_error="",
    )


# --- Messages made elsewhere (account e-mails, sign-up confirmations) ----------------------


def email_enqueue(
    *, message: EmailMessage, category: str = Category.ACCOUNT, recipient=None, key: str = ""
) -> Reminder:
    """Record a ready-made message in the outbox and send it once the transaction commits;
    a rolled-back request sends nothing, and a mail server or broker that is down fails no
    request (the sweep sends it later). key makes it once-only (e.g. one promotion mail per
    sign-up); without it every call is a new message."""
    import uuid

    # get_or_create: a key recorded before (by this transaction, an earlier one, or one
    # committing meanwhile) is the same message, which is neither recorded nor sent again.
    reminder, created = Reminder.objects.get_or_create(
        key=key or f"message:{uuid.uuid4().hex}",
        defaults={
            "rule": "message",
            "category": category,
            "recipient": recipient,
            "email": message.to[0],
            "language": getattr(recipient, "language", "") or settings.LANGUAGE_CODE,
            "message": mail.serialise(message),
            "subject": message.subject[:300],
        },
    )
    if created:
        transaction.on_commit(lambda: _send_soon(reminder.pk))
    return reminder


def _send_soon(pk: int) -> None:
    from .tasks import reminder_send_task

    # Marked before it is queued, as in reminders_dispatch (a fast failure resets it).
    queued_at = timezone.now()
    Reminder.objects.filter(pk=pk, queued_at__isnull=True).update(queued_at=queued_at)
    try:
        reminder_send_task.delay(pk)
    except BrokerError:
        # The broker is down: try now rather than keep someone waiting for a login link;
        # if the mail server fails too, the row waits for the next sweep.
        logger.warning("The Celery broker does not answer; sending reminder %s now", pk)
        Reminder.objects.filter(pk=pk, queued_at=queued_at).update(queued_at=None)
        reminder_send(pk)


def backlog() -> int:
    """Rows waiting to be sent, for the metrics endpoint."""
    return Reminder.objects.filter(
        status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING]
    ).count()


# --- In-app notifications, e-mail preferences, calendar feed --------------------------------


def notification_mark_read(user, pk: int) -> Reminder:
    """Mark one of user's notifications read (idempotent); another user's is a
    Reminder.DoesNotExist, which views turn into a 404."""
    reminder = Reminder.objects.for_user(user).get(pk=pk)
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        Reminder.objects.filter(pk=pk, read_at__isnull=True).update(read_at=reminder.read_at)
        selectors.notifications_unread_forget([user.pk])
    return reminder


def notifications_mark_all_read(user) -> int:
    marked = (
        Reminder.objects.for_user(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    )
    selectors.notifications_unread_forget([user.pk])
    return marked


def unsubscriptions_set(email: str, categories) -> None:
    """Unsubscribe email from exactly the given categories (of those one may leave), and
    subscribe it again to the others."""
    wanted = {c for c in categories if c in Category.values and c not in REQUIRED_CATEGORIES}
    with transaction.atomic():
        Unsubscription.objects.filter(email__iexact=email).exclude(category__in=wanted).delete()
        for category in wanted:
            Unsubscription.objects.get_or_create(email=email.lower(), category=category)


def calendar_feed_renew(user):
    """A new secret address for user's calendar feed; the old one stops working at once."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed
