"""Excel exports too big to write while the user waits: a worker prepares them with the
user's filters and access, and the user gets a link by e-mail that only they can open
(partnerships/exports.py). The threshold is set low here; the figures for 20,000 and
100,000 agreements are in docs/BENCHMARKS.md."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from partnerships import exports
from partnerships.models import AgreementExport, ExportStatus
from partnerships.tasks import agreement_export_build_task, agreement_exports_sweep_task
from portal.accounts.models import AuditAction, AuditEvent, Membership
from portal.celery import app
from portal.reminders.models import Reminder
from portal.storage import private_storage
from tests.factories import UserFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.reminders.support import SmtpSink, broker_use
from tests.reminders.test_worker import Worker, wait_for

pytestmark = pytest.mark.django_db

BIG = "/agreements/export/?scope=all&status=active&format=xlsx"
LIST = "/agreements/?scope=all&status=active"


@pytest.fixture
def world(settings):
    settings.EXPORT_IN_BACKGROUND_ROWS = 2
    nav, other_nav = nav_unit(name="NAV Nordland"), nav_unit(name="NAV Vestland")
    own, other = partner(name="Nordlysrittet AS"), partner(name="Bergen Havn")
    adviser, colleague = member_of(nav), member_of(other_nav)
    for title in ["=1+1", "Sommerjobb", "Lærlinger"]:
        agreement_for(adviser, nav, own, status="active", title=title, focus_areas=["inclusion"])
    agreement_for(colleague, other_nav, other, status="active", title="Havnelosen")
    agreement_for(adviser, nav, own, status="negotiation", title="Ikke aktiv ennå")
    return {
        "adviser": adviser,
        "colleague": colleague,
        "own_staff": member_of(own),
        "other": other,
    }


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def link_in(message) -> str:
    """The path of the download link in the mail's text."""
    [url] = re.findall(r"https?://\S+/agreements/exports/[0-9a-f-]+/", message.body)
    return urlsplit(url).path


def ask(client, user, url=BIG, *, build, capture):
    """user asks for the export; with build, the worker's task runs (after the commit)."""
    client.force_login(user)
    if not build:
        return client.get(url)
    with capture(execute=True):
        return client.get(url)


def test_a_big_excel_export_is_queued_and_the_list_says_so(
    client, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(world["adviser"])
    with django_assert_max_num_queries(12):
        response = client.get(BIG)
    assert response.status_code == 302 and response.url == LIST
    page = client.get(response.url).content.decode()
    assert (
        "Vi lager Excel-eksporten din av 4 avtaler. Vi sender en lenke til "
        f"{world['adviser'].email} når den er klar" in page
    )
    export = AgreementExport.objects.get()
    assert (export.user, export.status, export.rows) == (
        world["adviser"],
        ExportStatus.PENDING,
        4,
    )
    assert export.filters == "scope=all&status=active"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == world["adviser"]
    assert event.detail["rows"] == 4 and event.detail["prepared"] == str(export.pk)
    # CSV of the same list still streams at once: it is fast whatever its size.
    csv = client.get(BIG.replace("xlsx", "csv"))
    assert csv.streaming and csv.getvalue().decode("utf-8-sig").count("\n") == 1 + 4


def test_an_export_under_the_threshold_is_written_at_once(client, world, settings):
    settings.EXPORT_IN_BACKGROUND_ROWS = 4
    client.force_login(world["adviser"])
    response = client.get(BIG)
    assert response.status_code == 200 and len(sheet_rows(response.getvalue())) == 1 + 4
    assert not AgreementExport.objects.exists()


def test_the_prepared_file_holds_what_the_immediate_export_holds_and_the_link_is_mailed(
    client, world, settings, django_capture_on_commit_callbacks
):
    adviser = world["adviser"]
    ask(client, adviser, build=True, capture=django_capture_on_commit_callbacks)
    export = AgreementExport.objects.get()
    assert export.status == ExportStatus.READY
    assert private_storage.exists(export.file.name)

    [message] = [m for m in mail.outbox if m.to == [adviser.email]]
    assert message.subject == "Eksporten din av avtaler er klar"  # bokmål, the default
    assert "av 4 avtaler, er klar" in message.body
    link = link_in(message)
    assert link == f"/agreements/exports/{export.pk}/"
    assert link in message.alternatives[0][0]
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="avtaler-')

    prepared = sheet_rows(download.getvalue())
    settings.EXPORT_IN_BACKGROUND_ROWS = 1000
    immediate = client.get(BIG)
    assert prepared == sheet_rows(immediate.getvalue())
    assert {row[1] for row in prepared[1:]} == {
        "=1+1",
        "Sommerjobb",
        "Lærlinger",
        "Havnelosen",
    }
    downloaded = AuditEvent.objects.get(action=AuditAction.EXPORT_DOWNLOAD)
    assert downloaded.actor == adviser and downloaded.detail["prepared"] == str(export.pk)


def test_the_mail_is_in_the_users_language(client, world, django_capture_on_commit_callbacks):
    adviser = world["adviser"]
    adviser.language = "nn"
    adviser.save(update_fields=["language"])
    ask(client, adviser, build=True, capture=django_capture_on_commit_callbacks)
    [message] = [m for m in mail.outbox if m.to == [adviser.email]]
    assert message.subject == "Eksporten din av avtalar er klar"
    assert 'lang="nn"' in message.alternatives[0][0]


def test_only_the_user_who_asked_can_open_the_link(
    client, world, django_capture_on_commit_callbacks
):
    ask(client, world["adviser"], build=True, capture=django_capture_on_commit_callbacks)
    link = AgreementExport.objects.get().get_absolute_url()
    client.logout()
    # Not logged in: the login page (the owner follows the mail's link from there).
    response = client.get(link)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for someone in (world["colleague"], world["own_staff"], UserFactory(is_superuser=True)):
        client.force_login(someone)
        assert client.get(link).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT_DOWNLOAD).exists()


def test_an_expired_link_is_404_and_the_sweep_deletes_the_file(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_LINK_DAYS = 7
    ask(client, world["adviser"], build=True, capture=django_capture_on_commit_callbacks)
    export = AgreementExport.objects.get()
    link, name = export.get_absolute_url(), export.file.name
    with freeze_time(timezone.now() + timedelta(days=6, hours=23)):
        assert agreement_exports_sweep_task.delay().successful()
        response = client.get(link)
        assert response.status_code == 200 and response.getvalue()
    with freeze_time(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.get(link).status_code == 404
        assert private_storage.exists(name)
        assert exports.agreement_exports_purge() == 1
        assert exports.agreement_exports_purge() == 0
    assert not private_storage.exists(name)
    assert not AgreementExport.objects.exists()


def test_the_sweep_is_in_beats_schedule():
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["partnerships.tasks.agreement_exports_sweep_task"].minute == set(
        range(0, 60, 10)
    )


def test_a_user_who_lost_their_role_meanwhile_gets_no_file_and_no_mail(
    client, world, django_capture_on_commit_callbacks
):
    adviser = world["adviser"]
    ask(client, adviser, build=False, capture=django_capture_on_commit_callbacks)
    Membership.objects.filter(user=adviser).delete()
    export = AgreementExport.objects.get()
    assert agreement_export_build_task.delay(str(export.pk)).get() == "refused"
    export.refresh_from_db()
    assert export.status == ExportStatus.REFUSED and not export.file
    assert not private_storage.exists(f"exports/{export.pk}.xlsx")
    assert not [m for m in mail.outbox if m.to == [adviser.email]]
    assert client.get(export.get_absolute_url()).status_code == 404


def test_a_user_whose_access_changed_meanwhile_gets_only_what_they_may_see_now(
    client, world, django_capture_on_commit_callbacks
):
    staff = world["own_staff"]
    ask(client, staff, build=False, capture=django_capture_on_commit_callbacks)
    # Moved from Nordlysrittet to Bergen Havn before a worker got to it.
    Membership.objects.filter(user=staff).update(organisation=world["other"])
    export = AgreementExport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.agreement_export_build(export.pk) == "ready"
    client.force_login(staff)
    rows = sheet_rows(client.get(export.get_absolute_url()).getvalue())
    assert [row[1] for row in rows[1:]] == ["Havnelosen"]
    [message] = [m for m in mail.outbox if m.to == [staff.email]]
    assert "av 1 avtale, er klar" in message.body


def test_asking_twice_while_it_is_prepared_builds_and_mails_it_once(
    client, world, django_capture_on_commit_callbacks
):
    adviser = world["adviser"]
    ask(client, adviser, build=False, capture=django_capture_on_commit_callbacks)
    ask(client, adviser, build=False, capture=django_capture_on_commit_callbacks)
    export = AgreementExport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert agreement_export_build_task.delay(str(export.pk)).get() == "ready"
        assert agreement_export_build_task.delay(str(export.pk)).get() == "skipped"
    assert len([m for m in mail.outbox if m.to == [adviser.email]]) == 1
    # Once it is ready, asking again prepares a new one (the agreements may have changed).
    ask(client, adviser, build=False, capture=django_capture_on_commit_callbacks)
    assert AgreementExport.objects.count() == 2


def test_an_export_asked_for_while_the_broker_is_down_is_built_by_the_sweep(
    client, world, django_capture_on_commit_callbacks
):
    before = app.conf.broker_url
    app.conf.task_always_eager = False
    broker_use("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        response = ask(
            client, world["adviser"], build=True, capture=django_capture_on_commit_callbacks
        )
    finally:
        broker_use(before)
        app.conf.task_always_eager = True
    assert response.status_code == 302  # the user is told it comes by e-mail, as always
    export = AgreementExport.objects.get()
    assert export.status == ExportStatus.PENDING
    assert exports.agreement_exports_dispatch() == 0  # not yet: its task may still be queued
    with (
        freeze_time(timezone.now() + exports.REQUEUE_AFTER + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert exports.agreement_exports_dispatch() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert [m for m in mail.outbox if m.to == [world["adviser"].email]]


def test_a_build_whose_worker_died_is_built_again_and_given_up_after_three_tries(
    client, world, django_capture_on_commit_callbacks
):
    ask(client, world["adviser"], build=False, capture=django_capture_on_commit_callbacks)
    export = AgreementExport.objects.get()
    started = timezone.now()
    # A worker claimed it and died: the claim holds until Celery's time limit has passed.
    AgreementExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.BUILDING, claimed_at=started, attempts=1
    )
    assert exports.agreement_export_build(export.pk) == "skipped"
    later = started + timedelta(minutes=11)
    assert exports.agreement_export_build(export.pk, now=later) == "ready"
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ExportStatus.READY, 2)

    AgreementExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.BUILDING, claimed_at=started, attempts=3
    )
    with freeze_time(later):
        assert exports.agreement_exports_dispatch() == 0
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_export_and_mails_the_link(client, world, tmp_path):
    """``celery worker`` on Redis, as in production: the task is registered, sees the
    committed row, writes to the shared private storage and sends the mail over SMTP."""
    adviser = world["adviser"]
    redis.Redis.from_url(django_settings.REDIS_URL).flushdb()
    app.conf.task_always_eager = False
    broker_use(django_settings.REDIS_URL)
    client.force_login(adviser)
    with SmtpSink() as smtp:
        worker = Worker(tmp_path, smtp=smtp, broker=django_settings.REDIS_URL, concurrency=1)
        worker.start()
        try:
            assert client.get(BIG).status_code == 302
            wait_for(lambda: smtp.total() == 1, "the mail with the link")
        finally:
            worker.stop()
            redis.Redis.from_url(django_settings.REDIS_URL).flushdb()
    export = AgreementExport.objects.get()
    assert export.status == ExportStatus.READY
    sent = Reminder.objects.get(recipient=adviser, key=f"agreement_export:{export.pk}")
    assert (sent.status, sent.subject) == (Reminder.Status.SENT, "Eksporten din av avtaler er klar")
    rows = sheet_rows(client.get(export.get_absolute_url()).getvalue())
    assert len(rows) == 1 + 4
