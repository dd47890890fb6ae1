"""Editors and admins find their notifications where they land after logging in: editors on
the admin site's index, admins on the dashboard (each role's start page, portal.roles)."""

import pytest
from django.urls import reverse

from tests.reminders.test_notifications import notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_an_editor_lands_on_the_admin_index_which_counts_their_unread_notifications(english, world):
    editor = world["editor"]
    notification(editor, subject="Artikkelen er publisert")
    notification(editor, subject="Ny kladd")
    notification(editor, subject="Lest", read_at="2026-11-01T10:00:00Z")
    english.force_login(editor)
    response = english.get(reverse("start"))
    assert response.url == "/admin/"
    page = english.get(response.url).content.decode()
    assert 'data-testid="admin-notifications"' in page
    assert '<a href="/notifications/">You have 2 unread notifications.</a>' in page


def test_the_admin_index_says_when_nothing_is_unread(english, world):
    english.force_login(world["editor"])
    page = english.get("/admin/").content.decode()
    assert '<a href="/notifications/">You have no unread notifications.</a>' in page


def test_an_admin_lands_on_the_dashboard_with_the_notifications_panel(english, world):
    admin = world["admin"]
    notification(admin, subject="Avtalen slutter snart")
    english.force_login(admin)
    response = english.get(reverse("start"))
    assert response.url == "/dashboard/"
    page = english.get(response.url).content.decode()
    assert 'data-testid="notifications-panel"' in page
    assert "Avtalen slutter snart" in page
