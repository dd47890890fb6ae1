"""The filtered agreement list as CSV or Excel, with the same columns.

Formula safety (a value starting like a formula never runs as one) is the shared table
writer's, in portal/exports.py.

CSV always streams in the request (100,000 agreements in about 4 s, the first bytes at
once). An Excel file must be whole before its first byte is sent, so one of more than
EXPORT_IN_BACKGROUND_ROWS agreements is prepared by a worker instead: the request records an
``AgreementExport`` and queues its build; the worker applies the same filters to what the
user may see *then* (access is checked again: a user who lost their role gets nothing),
writes the file to private storage and mails the user a link, through the outbox, that only
they can open for EXPORT_LINK_DAYS. A sweep deletes expired files and queues again what no
worker got (the broker was down when it was asked for, or the worker died).
"""

import json
import logging
import tempfile
from datetime import timedelta
from functools import cache, partial

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMultiAlternatives
from django.db import connections, transaction
from django.db.models import F, OuterRef, Q, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Cast
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from portal.accounts import access
from portal.exports import table_csv, table_xlsx, xlsx_write
from portal.reminders.services import email_enqueue
from portal.storage import private_storage

from . import selectors
from .filters import AgreementFilter
from .models import Agreement, AgreementExport, AgreementParty, ExportStatus, FocusArea, export_path

logger = logging.getLogger(__name__)

# Rows read from the database at a time: memory stays the same for 100 or 100,000 agreements.
CHUNK = 2000
COLUMNS = (
    "reference",
    "title",
    "status",
    "start_date",
    "end_date",
    "focus_text",
    "responsible_adviser__full_name",
    "responsible_adviser__email",
    "party_names",
)


def _streamed(agreements):
    """The agreements as plain rows of what the file shows, a chunk at a time, each with its
    parties' names joined by the database: no model objects, no query per row or per chunk."""
    # In a steady order where the database can (SQLite before 3.44 cannot order inside an
    # aggregate: there the names come in the parties' order).
    features = connections[agreements.db].features
    order = ("organisation__kind", "organisation__name")
    names = (
        AgreementParty.objects.filter(agreement=OuterRef("pk"))
        .order_by()
        .values("agreement")
        .annotate(
            names=StringAgg(
                "organisation__name",
                Value("; "),
                order_by=order if features.supports_aggregate_order_by_clause else None,
            )
        )
        .values("names")
    )
    return (
        agreements.prefetch_related(None)
        .select_related(None)
        # The focus areas as the database's text: a few distinct lists, each read once
        # (_rows), instead of JSON decoded for every row.
        .annotate(party_names=Subquery(names), focus_text=Cast("focus_areas", TextField()))
        .values_list(*COLUMNS)
        .iterator(chunk_size=CHUNK)
    )


def _rows(rows):
    yield [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Parties"),
        _("Start date"),
        _("End date"),
        _("Responsible adviser"),
        _("Focus areas"),
    ]
    # The labels once, in the language of the request (rows are made as the file is sent).
    statuses = {value: str(label) for value, label in Agreement.Status.choices}
    areas = {code: str(label) for code, label in FocusArea.choices}

    @cache
    def area_labels(focus_text):
        codes = json.loads(focus_text) if focus_text else []
        return ", ".join(areas[code] for code in codes if code in areas)

    for reference, title, status, start, end, focus_text, full_name, email, parties in rows:
        yield [
            reference,
            title,
            statuses.get(status, status),
            parties or "",
            start.isoformat(),
            end.isoformat() if end else "",
            full_name or email,
            area_labels(focus_text),
        ]


def agreements_csv(agreements):
    return table_csv(_rows(_streamed(agreements)), "avtaler")


def agreements_xlsx(agreements):
    return table_xlsx(_rows(_streamed(agreements)), "avtaler", _("Agreements"))


def agreements_xlsx_write(agreements, output) -> int:
    """The Excel file of agreements, written to output; returns how many agreements it holds."""
    written = 0

    def counted(rows):
        nonlocal written
        for row in rows:
            written += 1
            yield row

    xlsx_write(_rows(counted(_streamed(agreements))), _("Agreements"), output)
    return written


# --- Big Excel exports, prepared by a worker -------------------------------------------------

# Tries a build gets (a worker killed, a database gone) before it is marked failed.
BUILD_ATTEMPTS = 3
# A build still waiting this long after it was asked for is queued again by the sweep.
REQUEUE_AFTER = timedelta(minutes=10)


def agreement_export_request(*, user, filters: str, language: str, rows: int, now=None):
    """Record an Excel export of the list with these filters (a query string) for a worker to
    build, and queue it once committed. The same export asked for again while it is still
    being prepared (a second click) is the one already recorded."""
    now = now or timezone.now()
    waiting = AgreementExport.objects.filter(
        user=user,
        filters=filters,
        language=language,
        status__in=[ExportStatus.PENDING, ExportStatus.BUILDING],
        expires_at__gt=now,
    ).first()
    if waiting is not None:
        return waiting
    export = AgreementExport.objects.create(
        user=user,
        filters=filters,
        language=language,
        rows=rows,
        created_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_LINK_DAYS),
    )
    transaction.on_commit(partial(_queue, export.pk))
    return export


def _queue(pk) -> None:
    from .tasks import agreement_export_build_task

    try:
        agreement_export_build_task.delay(str(pk))
    except BrokerError:
        logger.warning("The Celery broker does not answer; the export sweep queues %s later", pk)


def _claimable(now):
    """Builds to do: waiting, or claimed by a worker that has surely died (Celery kills a task
    at CELERY_TASK_TIME_LIMIT), and not tried too often."""
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return AgreementExport.objects.filter(
        Q(status=ExportStatus.PENDING) | Q(status=ExportStatus.BUILDING, claimed_at__lt=stale),
        expires_at__gt=now,
        attempts__lt=BUILD_ATTEMPTS,
    )


def _ours(export, now):
    """The row while it is still this run's claim."""
    return AgreementExport.objects.filter(
        pk=export.pk, status=ExportStatus.BUILDING, claimed_at=now
    )


def agreement_export_build(pk, *, now=None) -> str:
    """Build one prepared export if it still waits, and mail its user the link. Returns
    "ready", "refused" (its user no longer uses the workspace, or a filter no longer
    applies) or "skipped" (built already, or another worker has it). Idempotent: the row is
    claimed with one conditional UPDATE, so a second delivery of the task does nothing."""
    now = now or timezone.now()
    claimed = (
        _claimable(now)
        .filter(pk=pk)
        .update(status=ExportStatus.BUILDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    export = AgreementExport.objects.select_related("user").get(pk=pk)
    user = export.user
    # Access as it is now, not as it was when the export was asked for: the file holds what
    # the user may see at this moment, and nothing if they lost their role meanwhile.
    filterset = None
    if user is not None and access.uses_workspace(user):
        filterset = AgreementFilter(
            QueryDict(export.filters), queryset=selectors.agreements_visible(user), user=user
        )
    if filterset is None or not filterset.is_valid():
        _ours(export, now).update(status=ExportStatus.REFUSED)
        return "refused"
    name = export_path(export, "")
    # On disk, not in memory: the worker's memory stays the same for any number of rows.
    with translation.override(export.language), tempfile.TemporaryFile() as output:
        rows = agreements_xlsx_write(filterset.qs, output)
        output.seek(0)
        private_storage.delete(name)  # what a build that died left
        name = private_storage.save(name, File(output))
    with transaction.atomic():
        if not _ours(export, now).update(status=ExportStatus.READY, file=name, rows=rows):
            return "skipped"  # this run outlived its claim and another took over
        export.rows = rows
        _ready_mail(export)
    return "ready"


def _ready_mail(export) -> None:
    user = export.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "recipient": user,
            "rows": export.rows,
            "rows_shown": number_format(export.rows, force_grouping=True),
            "expires_at": export.expires_at,
            "portal_name": settings.PORTAL_NAME,
            "portal_url": settings.PORTAL_URL,
            "link_url": settings.PORTAL_URL + export.get_absolute_url(),
        }
        template = "partnerships/email/agreement_export_ready"
        message = EmailMultiAlternatives(
            " ".join(render_to_string(f"{template}_subject.txt", context).split()),
            render_to_string(f"{template}.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    # Through the outbox: a mail server that is down delays the link, never loses it.
    email_enqueue(message=message, recipient=user, key=f"agreement_export:{export.pk}")


def agreement_export_get(user, pk, *, now=None) -> AgreementExport:
    """user's own prepared export, ready and not expired, while they still use the
    workspace; otherwise 404 (another user's link, an expired one, a role lost)."""
    if not access.uses_workspace(user):
        raise Http404
    return get_object_or_404(
        AgreementExport,
        pk=pk,
        user=user,
        status=ExportStatus.READY,
        expires_at__gt=now or timezone.now(),
    )


def agreement_exports_purge(*, now=None) -> int:
    """Delete expired exports: the file, then the row (a storage that fails keeps the row,
    and the next sweep tries again). Idempotent: safe to run twice."""
    now = now or timezone.now()
    deleted = 0
    for export in AgreementExport.objects.filter(expires_at__lte=now).only("pk"):
        private_storage.delete(export_path(export, ""))
        export.delete()
        deleted += 1
    return deleted


def agreement_exports_dispatch(*, now=None) -> int:
    """Give up on builds tried BUILD_ATTEMPTS times, and queue again those no worker got
    (the broker was down when they were asked for, or their worker died). A build queued
    twice is built once (the claim). Returns how many were queued."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    AgreementExport.objects.filter(
        status=ExportStatus.BUILDING, claimed_at__lt=stale, attempts__gte=BUILD_ATTEMPTS
    ).update(status=ExportStatus.FAILED)
    waiting = list(
        _claimable(now).filter(created_at__lt=now - REQUEUE_AFTER).values_list("pk", flat=True)
    )
    for pk in waiting:
        _queue(pk)
    return len(waiting)
