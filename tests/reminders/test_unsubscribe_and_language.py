"""Unsubscribing (the e-mailed link and the account page) and the recipient's language."""

from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from portal.reminders import mail as reminder_mail
from portal.reminders import rules, services
from portal.reminders.models import Category, Reminder, Unsubscription
from tests.factories import adviser, employer_contact

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).parent / "templates"


class NoticeRule(rules.Rule):
    """A rule of the tests' own: due once for each recipient it is given."""

    recipients: list = []

    def due(self, today, offsets):
        return [rules.Due(target=None, occasion="test", recipient=r) for r in self.recipients]

    def link(self, reminder, context):
        return "/dashboard/"


@pytest.fixture
def notice_rule(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]
    rule = NoticeRule(
        code="test_notice",
        category=Category.AGREEMENTS,
        label="Test",
        template="reminders_test/notice",
    )
    rules.rule_add(rule)
    yield rule
    rules._rules.pop("test_notice", None)


def send(rule, *users):
    rule.recipients = list(users)
    services.reminders_record(rule, rule.due(None, []))
    services.reminders_send_due()


# --- The e-mailed link -------------------------------------------------------------------


def test_the_link_asks_first_and_a_get_unsubscribes_nobody(client):
    client.cookies["django_language"] = "en"
    token = reminder_mail.unsubscribe_token("kari@example.no", Category.AGREEMENTS)
    response = client.get(f"/reminders/unsubscribe/{token}/")
    assert response.status_code == 200
    assert (
        "Stop e-mails about “Agreement deadlines” to kari@example.no?" in response.content.decode()
    )
    assert not Unsubscription.objects.exists()


def test_one_click_post_unsubscribes_without_a_session_or_csrf_token():
    token = reminder_mail.unsubscribe_token("Kari@Example.no", Category.AGREEMENTS)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/reminders/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Unsubscription.objects.filter(
        email="kari@example.no", category=Category.AGREEMENTS
    ).exists()
    # Twice is the same as once.
    assert strict.post(f"/reminders/unsubscribe/{token}/").status_code == 200
    assert Unsubscription.objects.count() == 1


def test_a_forged_token_is_a_404(client):
    token = reminder_mail.unsubscribe_token("kari@example.no", Category.AGREEMENTS)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/reminders/unsubscribe/{forged}/").status_code == 404
    assert client.post(f"/reminders/unsubscribe/{forged}/").status_code == 404
    assert not Unsubscription.objects.exists()


@pytest.mark.parametrize("category", [Category.ACCOUNT, Category.SIGNUP])
def test_account_and_sign_up_mails_cannot_be_unsubscribed(client, category):
    token = reminder_mail.unsubscribe_token("kari@example.no", category)
    assert client.post(f"/reminders/unsubscribe/{token}/").status_code == 404
    assert not Unsubscription.objects.exists()


def test_a_reminder_to_an_unsubscribed_address_is_not_mailed_but_shown_in_app(notice_rule):
    user = adviser()
    Unsubscription.objects.create(email=user.email, category=Category.AGREEMENTS)
    send(notice_rule, user)
    reminder = Reminder.objects.get(rule="test_notice")
    assert reminder.status == Reminder.Status.UNSUBSCRIBED
    assert mail.outbox == []
    client = Client()
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert f"/notifications/{reminder.pk}/" in page


# --- The account page ---------------------------------------------------------------------


def test_the_account_page_unsubscribes_and_resubscribes_by_category(client):
    client.cookies["django_language"] = "en"
    user = employer_contact()
    client.force_login(user)
    page = client.get("/accounts/e-mails/").content.decode()
    assert "Programme sessions" in page and "Agreement deadlines" in page
    assert "Account and security" not in page  # cannot be left
    # Untick "Programme sessions": keep the others.
    kept = [c for c in ("agreements", "follow_ups", "reviews", "digest")]
    response = client.post("/accounts/e-mails/", {"categories": kept})
    assert response.status_code == 302
    assert set(Unsubscription.objects.values_list("category", flat=True)) == {"sessions"}
    # Tick it again.
    client.post("/accounts/e-mails/", {"categories": [*kept, "sessions"]})
    assert not Unsubscription.objects.exists()


def test_the_account_page_cannot_unsubscribe_from_account_mails(client):
    user = employer_contact()
    client.force_login(user)
    client.post("/accounts/e-mails/", {"categories": []})
    left = set(Unsubscription.objects.values_list("category", flat=True))
    assert Category.ACCOUNT not in left and Category.SIGNUP not in left
    assert Category.SESSIONS in left


# --- Language -----------------------------------------------------------------------------


def test_switching_language_keeps_it_for_the_users_mails(client):
    user = adviser()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "nn", "next": "/dashboard/"})
    assert response.status_code == 302 and response.url == "/dashboard/"
    user.refresh_from_db()
    assert user.language == "nn"
    # An unknown language changes nothing.
    client.post("/i18n/setlang/", {"language": "xx"})
    user.refresh_from_db()
    assert user.language == "nn"


def test_a_visitor_switching_language_still_works(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_a_reminder_to_a_user_who_chose_nynorsk_arrives_in_nynorsk(client, notice_rule):
    user = adviser()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "nn"})
    user.refresh_from_db()  # as the sweep reads it
    send(notice_rule, user)
    [message] = mail.outbox
    assert "language=nn" in message.body
    assert message.subject == "Kalenderadressa di"
    assert 'lang="nn"' in message.alternatives[0][0]


def test_signing_up_in_nynorsk_keeps_nynorsk(client, django_capture_on_commit_callbacks):
    from portal.accounts.models import User
    from tests.accounts.test_login_and_signup import SIGNUP

    client.cookies["django_language"] = "nn"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/signup/", SIGNUP).status_code == 302
    assert User.objects.get(email=SIGNUP["email"]).language == "nn"
