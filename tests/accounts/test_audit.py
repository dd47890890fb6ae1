"""The audit trail: who logged in (or failed), changed a second factor or someone's rights,
exported or downloaded, when and from where; read by admins; kept for a configurable time."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from partnerships import services as partnership_services
from partnerships.demo import DEMO_PDF
from portal.accounts.models import AuditAction, AuditEvent, Organisation
from portal.accounts.tasks import audit_events_purge_task
from portal.news import services as news_services
from tests.factories import PASSWORD, UserFactory, employer_contact, member, totp_code
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Testleser)"


def events(action):
    return list(AuditEvent.objects.filter(action=action).select_related("actor", "subject"))


def test_a_login_is_recorded_with_who_when_and_from_where(client):
    user = employer_contact()
    client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        headers={"user-agent": BROWSER},
        REMOTE_ADDR="10.1.2.3",
    )
    [event] = events(AuditAction.LOGIN)
    assert event.actor == user
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == BROWSER
    assert timezone.now() - event.created_at < timedelta(minutes=1)


def test_a_failed_login_is_recorded_with_the_address_typed_and_no_password(client):
    user = employer_contact()
    client.post("/accounts/login/", {"login": user.email, "password": "feil-passord-1"})
    client.post("/accounts/login/", {"login": "ukjent@example.no", "password": "feil-passord-2"})
    known, unknown = sorted(events(AuditAction.LOGIN_FAILED), key=lambda e: e.pk)
    assert known.actor is None and known.subject == user and known.target == user.email
    assert unknown.subject is None and unknown.target == "ukjent@example.no"
    assert "feil-passord" not in str(AuditEvent.objects.values_list("detail", flat=True))
    assert not events(AuditAction.LOGIN)


def test_adding_and_removing_a_second_factor_is_recorded(
    client, django_capture_on_commit_callbacks
):
    user = member(Organisation.Kind.NAV_UNIT, mfa=False)
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    # allauth sends its signals after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    added = events(AuditAction.MFA_ADDED)
    assert {e.detail["type"] for e in added} == {"totp", "recovery_codes"}
    assert all(e.actor == user and e.subject == user for e in added)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/2fa/totp/deactivate/")
    removed = events(AuditAction.MFA_REMOVED)
    assert removed and all(e.subject == user for e in removed)


def test_making_someone_an_editor_records_the_staff_flag_and_the_group():
    user = UserFactory()
    news_services.editor_add(user=user)
    [staff] = events(AuditAction.STAFF_CHANGED)
    assert staff.subject == user and staff.detail == {"is_staff": True}
    [groups] = events(AuditAction.GROUPS_CHANGED)
    assert groups.subject == user and groups.detail == {"change": "add", "names": ["Editors"]}


def test_a_group_change_from_the_groups_side_and_a_permission_change_are_recorded():
    first, second = UserFactory(), UserFactory()
    Group.objects.create(name="Lesere").user_set.add(first, second)
    assert {e.subject for e in events(AuditAction.GROUPS_CHANGED)} == {first, second}
    from django.contrib.auth.models import Permission

    first.user_permissions.add(Permission.objects.get(codename="view_article"))
    [permission] = events(AuditAction.PERMISSIONS_CHANGED)
    assert permission.subject == first and permission.detail["change"] == "add"


def test_an_admin_changing_a_user_in_the_admin_site_is_the_recorded_actor(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory(email="ola@example.no", full_name="Ola")
    client.force_login(admin)
    joined = timezone.localtime(user.date_joined)
    data = {
        "date_joined_0": joined.strftime("%d.%m.%Y"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "is_staff": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    [staff] = events(AuditAction.STAFF_CHANGED)
    assert staff.actor == admin and staff.subject == user and staff.ip_address == "127.0.0.1"


@pytest.fixture
def agreement_with_document():
    nav = nav_unit()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, partner(), title="Avtale med vedlegg")
    document = partnership_services.document_upload(
        agreement=agreement,
        user=adviser,
        title="Signert avtale",
        kind="other",
        file=SimpleUploadedFile("avtale.pdf", DEMO_PDF),
    )
    return adviser, agreement, document


def test_exports_and_document_downloads_are_recorded(client, agreement_with_document):
    adviser, agreement, document = agreement_with_document
    client.force_login(adviser)
    export = client.get("/agreements/export/?format=xlsx&status=draft")
    assert export.status_code == 200
    export.getvalue()  # read to the end, which closes (and deletes) the temporary workbook
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [export] = events(AuditAction.EXPORT)
    assert export.actor == adviser and export.target == "agreements"
    assert export.detail == {"format": "xlsx", "filters": "format=xlsx&status=draft"}
    [download] = events(AuditAction.DOCUMENT_DOWNLOAD)
    assert download.actor == adviser
    assert download.detail == {"agreement": agreement.reference, "document": document.pk}


def test_a_refused_download_is_no_download(client, agreement_with_document):
    _, _, document = agreement_with_document
    client.force_login(member_of(partner()))
    assert client.get(document.get_absolute_url()).status_code == 404
    assert not events(AuditAction.DOCUMENT_DOWNLOAD)


def test_admins_read_the_audit_log_with_filters_and_nobody_changes_it(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    user = employer_contact()
    client.post("/accounts/login/", {"login": user.email, "password": "feil-passord-1"})
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    page = client.get("/admin/accounts/auditevent/?action__exact=login_failed")
    assert page.status_code == 200
    assert [e.action for e in page.context["cl"].result_list] == ["login_failed"]
    assert "Failed login" in page.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    searched = client.get(f"/admin/accounts/auditevent/?q={user.email}")
    assert list(searched.context["cl"].result_list) == [event]
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_editors_and_other_staff_do_not_see_the_audit_log(client):
    editor = UserFactory(is_staff=True)
    news_services.editor_add(user=editor)
    client.force_login(editor)
    assert client.get("/admin/accounts/auditevent/").status_code == 403
    assert "auditevent" not in client.get("/admin/").content.decode()


def test_events_older_than_the_retention_are_purged_once(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with freeze_time("2026-01-01 12:00"):
        old = AuditEvent.objects.create(action=AuditAction.LOGIN)
    with freeze_time("2026-01-20 12:00"):
        kept = AuditEvent.objects.create(action=AuditAction.LOGIN)
    with freeze_time("2026-02-01 12:00"):
        assert audit_events_purge_task.delay().get() == 1
        assert audit_events_purge_task.delay().get() == 0
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_the_purges_are_in_beats_schedule():
    from portal.celery import app

    times = {
        entry["task"]: (entry["schedule"].hour, entry["schedule"].minute)
        for entry in app.conf.beat_schedule.values()
    }
    assert times["portal.accounts.tasks.audit_events_purge_task"] == ({3}, {10})
    assert times["programmes.tasks.signup_contacts_purge_task"] == ({3}, {20})
    assert app.conf.timezone == "Europe/Oslo"
