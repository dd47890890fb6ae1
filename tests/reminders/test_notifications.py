"""The in-app notifications: the start pages' panel, /notifications/, read marks and the
header's unread count."""

import itertools

import pytest

from portal.reminders.models import Reminder
from tests.factories import adviser, employer_contact
from tests.reminders.support import nudge_users

pytestmark = pytest.mark.django_db

_keys = itertools.count()


def notification(user, *, subject="Avtalen SA-2026-0001 slutter om 30 dager", **data):
    values = {
        "key": f"test:{next(_keys)}",
        "rule": "agreement_ending",
        "category": "agreements",
        "recipient": user,
        "email": user.email,
        "status": Reminder.Status.SENT,
        "subject": subject,
        "link": "/agreements/",
        **data,
    }
    return Reminder.objects.create(**values)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_dashboard_shows_the_latest_notifications_and_the_unread_count(english):
    user = adviser()
    notification(user, subject="Oppfølging forfaller")
    notification(user, subject="Lest varsel", read_at="2026-11-01T10:00:00Z")
    english.force_login(user)
    page = english.get("/dashboard/").content.decode()
    assert 'data-testid="notifications-panel"' in page
    assert "Oppfølging forfaller" in page and "Lest varsel" in page
    assert 'data-testid="unread-count"><span aria-hidden="true">1</span>' in page


def test_my_signups_shows_the_notifications_panel_too(english):
    user = employer_contact()
    english.force_login(user)
    page = english.get("/programmes/my-signups/").content.decode()
    assert 'data-testid="notifications-panel"' in page
    assert "You have no notifications." in page


def test_the_list_shows_only_ones_own_sent_or_unsubscribed_reminders(english):
    user, other = adviser(), adviser()
    notification(user, subject="Sendt til meg")
    notification(user, subject="Ikke e-postet", status=Reminder.Status.UNSUBSCRIBED)
    notification(user, subject="Venter ennå", status=Reminder.Status.PENDING)
    notification(other, subject="Til en annen")
    english.force_login(user)
    page = english.get("/notifications/").content.decode()
    assert "Sendt til meg" in page and "Ikke e-postet" in page
    assert "Venter ennå" not in page and "Til en annen" not in page


def test_the_list_is_paginated_and_has_an_empty_state(english):
    user = adviser()
    english.force_login(user)
    assert "You have no notifications." in english.get("/notifications/").content.decode()
    for n in range(25):
        notification(user, subject=f"Varsel nummer {n:02d}")
    first = english.get("/notifications/").content.decode()
    second = english.get("/notifications/?page=2").content.decode()
    assert first.count('data-testid="notification"') == 20
    assert second.count('data-testid="notification"') == 5
    assert "Varsel nummer 24" in first and "Varsel nummer 00" in second


def test_following_the_link_marks_it_read_and_goes_where_it_points(client):
    user = adviser()
    item = notification(user, link="/agreements/SA-2026-0001/")
    client.force_login(user)
    response = client.get(f"/notifications/{item.pk}/")
    assert response.status_code == 302 and response.url == "/agreements/SA-2026-0001/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_marking_one_read_without_javascript_returns_to_the_page(client):
    user = adviser()
    item = notification(user)
    client.force_login(user)
    response = client.post(f"/notifications/{item.pk}/read/", {"next": "/dashboard/"})
    assert response.status_code == 302 and response.url == "/dashboard/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_marking_one_read_with_htmx_returns_the_item_without_its_unread_mark(english):
    user = adviser()
    item = notification(user, subject="Frist nærmer seg")
    english.force_login(user)
    response = english.post(f"/notifications/{item.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Frist nærmer seg" in html and "Unread" not in html and "<html" not in html


def test_another_users_notification_cannot_be_read_or_opened(client):
    item = notification(adviser())
    client.force_login(adviser())
    assert client.post(f"/notifications/{item.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_as_read_marks_only_ones_own(client):
    user, other = adviser(), adviser()
    mine = [notification(user), notification(user)]
    theirs = notification(other)
    client.force_login(user)
    response = client.post("/notifications/read/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/notifications/"
    assert all(Reminder.objects.get(pk=n.pk).read_at for n in mine)
    assert Reminder.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_as_read_clears_the_kept_header_count(client):
    user = adviser()
    notification(user)
    notification(user)
    client.force_login(user)
    assert '<span aria-hidden="true">2</span>' in client.get("/news/").content.decode()
    client.post("/notifications/read/")
    assert 'data-testid="unread-count"' not in client.get("/news/").content.decode()


def test_marking_read_needs_a_csrf_token(client):
    from django.test import Client

    user = adviser()
    item = notification(user)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(f"/notifications/{item.pk}/read/").status_code == 403
    assert strict.post("/notifications/read/").status_code == 403


def test_the_notifications_page_needs_a_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("count", [1, 15])
def test_the_header_count_is_counted_once_then_kept(client, count, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = adviser()
    for _ in range(count):
        notification(user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as first:
        client.get("/news/")  # also the session's one-off checks (MFA)
    counts = [q["sql"] for q in first if "reminders_reminder" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0]
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/news/").content.decode()
    assert not [q for q in queries if "reminders_reminder" in q["sql"]]
    assert f'<span aria-hidden="true">{count}</span>' in page


def test_the_header_count_follows_what_is_sent_and_read(
    client, nudge, django_capture_on_commit_callbacks
):
    from portal.reminders import services

    [user] = nudge_users(1)
    client.force_login(user)
    assert 'data-testid="unread-count"' not in client.get("/news/").content.decode()

    assert services.reminders_sweep() == 1
    [reminder] = Reminder.objects.filter(recipient=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminder_send(reminder.pk) == "sent"
    badge = 'data-testid="unread-count"><span aria-hidden="true">1</span>'
    assert badge in client.get("/news/").content.decode()

    client.post(f"/notifications/{reminder.pk}/read/", {"next": "/news/"})
    assert 'data-testid="unread-count"' not in client.get("/news/").content.decode()
