"""Editors and admins write, schedule and publish in the admin site; nobody else does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.news import services
from portal.news.models import Article
from tests.factories import UserFactory, adviser, employer_contact, enrol_totp, partner_staff
from tests.news.factories import ArticleFactory, photo_upload
from tests.partnerships.factories import agreement_for, partner
from tests.programmes.factories import programme_under

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"
LIST_URL = "/admin/news/article/"


@pytest.fixture
def editor():
    user = UserFactory(full_name="Rita Redaktør")
    services.editor_add(user=user)
    return enrol_totp(user)


def form_data(**overrides):
    data = {
        "title": "Ny avtale i nord",
        "slug": "ny-avtale-i-nord",
        "language": "nb",
        "lead": "NAV og Rittet AS har signert.",
        "body": "Avtalen gjelder i **to** år.",
        "photo_alt": "",
        "photo_caption": "",
        "photo_credit": "",
        "state": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
    }
    return data | overrides


def test_an_editor_opens_the_add_page_and_saves_a_draft_as_its_author(client, editor):
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, form_data())
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == editor
    assert article.state == Article.State.DRAFT
    assert article.published_at is None
    assert "<strong>to</strong>" in article.body_html


def test_an_editor_publishes_straight_from_the_form(client, editor):
    client.force_login(editor)
    client.post(ADD_URL, form_data(state="published"))
    article = Article.objects.get()
    assert article.state == Article.State.PUBLISHED
    assert article.published_at is not None
    assert client.get("/news/ny-avtale-i-nord/").status_code == 200


def test_an_editor_schedules_an_article(client, editor):
    client.force_login(editor)
    when = timezone.localtime() + timedelta(days=2)
    client.post(
        ADD_URL,
        form_data(
            state="scheduled",
            publish_at_0=when.strftime("%d.%m.%Y"),
            publish_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    article = Article.objects.get()
    assert article.state == Article.State.SCHEDULED
    assert article.publish_at.replace(microsecond=0) == when.replace(microsecond=0)
    assert not Article.objects.published().exists()


def test_scheduling_without_a_time_is_refused_next_to_the_field(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(state="scheduled"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["publish_at"] == [
        "Velg når en planlagt artikkel skal publiseres."
    ]


def test_a_text_file_named_jpg_is_refused_in_the_form_with_a_clear_message(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    fake = SimpleUploadedFile("bilde.jpg", b"ikke et bilde", content_type="image/jpeg")
    response = client.post(ADD_URL, form_data(photo=fake, photo_alt="Bilde"))
    assert response.status_code == 200
    assert "Filen er ikke et bilde vi kan lese" in response.content.decode()
    assert not Article.objects.exists()


def test_a_photo_without_alt_text_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, form_data(photo=photo_upload()))
    assert response.status_code == 200
    assert "photo_alt" in response.context["adminform"].form.errors


def test_the_publish_action_publishes_the_chosen_drafts(client, editor):
    drafts = ArticleFactory.create_batch(2, state=Article.State.DRAFT)
    client.force_login(editor)
    response = client.post(
        LIST_URL,
        {"action": "publish", "_selected_action": [a.pk for a in drafts]},
        follow=True,
    )
    assert "2 artikler publisert." in response.content.decode()
    assert Article.objects.published().count() == 2


def test_the_archive_action_takes_articles_off_the_public_pages(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    client.post(LIST_URL, {"action": "archive", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.state == Article.State.ARCHIVED


def test_the_list_links_each_article_to_its_preview(client, editor):
    ArticleFactory(slug="utkast", state=Article.State.DRAFT)
    client.force_login(editor)
    assert 'href="/news/utkast/preview/"' in client.get(LIST_URL).content.decode()


def test_the_change_page_has_a_preview_button(client, editor):
    article = ArticleFactory(slug="utkast", state=Article.State.DRAFT)
    client.force_login(editor)
    page = client.get(f"{LIST_URL}{article.pk}/change/").content.decode()
    assert 'href="/news/utkast/preview/"' in page


def test_an_admin_may_write_news(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(ADD_URL).status_code == 200


def test_employers_are_sent_to_the_admin_login(client):
    client.force_login(employer_contact())
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize("make_user", [adviser, partner_staff])
def test_advisers_and_partner_staff_use_the_admin_site_but_write_no_news(client, make_user):
    client.force_login(make_user())
    assert client.get(ADD_URL).status_code == 403


@pytest.mark.parametrize("make_user", [adviser, partner_staff])
def test_staff_without_the_editors_group_get_403_on_the_add_page(client, make_user):
    user = make_user()
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, form_data()).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_an_editor_may_not_manage_users(client, editor):
    client.force_login(editor)
    assert client.get("/admin/accounts/user/").status_code == 403


def test_an_editor_starts_in_the_admin_site(client, editor):
    client.force_login(editor)
    assert client.get("/start/").url == "/admin/"


def test_editors_relate_articles_only_to_signed_agreements(client, setting):
    draft = agreement_for(
        setting["responsible"], setting["nav"], partner(), title="Hemmelig utkast"
    )
    programme_under(draft, title="Hemmelig program")
    editor = UserFactory(is_staff=True)
    services.editor_add(user=editor)
    client.force_login(editor)
    page = client.get("/admin/news/article/add/").content.decode()
    assert "Hemmelig utkast" not in page and "Hemmelig program" not in page
    # The agreements and programmes are found with the admin's autocomplete.
    agreements = mention_choices(client, "related_agreements")
    assert [text for text in agreements if setting["agreement"].reference in text]
    assert not [text for text in agreements if "Hemmelig utkast" in text]
    assert "Hemmelig program" not in mention_choices(client, "related_programmes")


def mention_choices(client, field_name, term=""):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "article", "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]
