"""Editors start drafts from an agreement's and a programme's page, sign them with the right
name and date news written after the event."""

from datetime import datetime

import pytest
from django.utils import timezone

from portal.news import services as news_services
from portal.news.models import Article
from tests.factories import UserFactory, employer_contact
from tests.news.test_admin import form_data
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True, full_name="Rita Redaktør")
    news_services.editor_add(user=user)
    return user


def test_an_editor_drafts_news_from_a_signed_agreements_page(client, editor, agreement):
    client.force_login(editor)
    page = client.get(agreement.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert f'action="{agreement.get_absolute_url()}news-draft/"' in html
    # Editors read the agreement to write about it; following it up is the advisers' work.
    assert "/activities/" not in html and "/documents/" not in html
    response = client.post(f"{agreement.get_absolute_url()}news-draft/")
    article = Article.objects.get()
    assert response.url == f"/admin/news/article/{article.pk}/change/"
    assert list(article.related_agreements.all()) == [agreement]


def test_an_unsigned_agreement_stays_hidden_from_editors(client, editor):
    nav = nav_unit()
    draft = agreement_for(member_of(nav), nav, partner(), title="Hemmelig samarbeid")
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.post(f"{draft.get_absolute_url()}news-draft/").status_code == 404
    assert not Article.objects.exists()


def test_an_editor_drafts_news_from_a_programmes_page(client, editor, programme):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    page = client.get(programme.get_absolute_url())
    assert page.status_code == 200
    assert f'action="{programme.get_absolute_url()}news-draft/"' in page.content.decode()
    response = client.post(f"{programme.get_absolute_url()}news-draft/")
    article = Article.objects.get()
    assert response.url == f"/admin/news/article/{article.pk}/change/"
    assert article.title == "Results from Jobbsjansen"


def test_readers_get_no_draft_button_on_a_programmes_page(client, programme):
    for user in (None, employer_contact()):
        if user:
            client.force_login(user)
        assert "news-draft" not in client.get(programme.get_absolute_url()).content.decode()


def test_the_editor_signs_an_advisers_draft_with_an_editors_name(client, editor, agreement):
    adviser = agreement.responsible_adviser
    client.force_login(adviser)
    client.post(f"{agreement.get_absolute_url()}news-draft/")
    article = Article.objects.get()
    assert article.author == adviser
    colleague = UserFactory(is_staff=True, full_name="Per Pressekontakt")
    news_services.editor_add(user=colleague)
    outsider = UserFactory(full_name="Ola Utenfor")
    client.force_login(editor)
    change = f"/admin/news/article/{article.pk}/change/"
    choices = client.get(change).context["adminform"].form.fields["author"].queryset
    # Editors and the present author, not every user.
    assert set(choices) == {editor, colleague, adviser}
    assert outsider not in choices
    data = form_data(
        title=article.title, slug=article.slug, lead=article.lead, body=article.body
    ) | {"author": colleague.pk, "published_at_0": "", "published_at_1": ""}
    assert client.post(change, data).status_code == 302
    article.refresh_from_db()
    assert article.author == colleague
    refused = client.post(change, data | {"author": outsider.pk})
    assert "author" in refused.context["adminform"].form.errors


def test_news_written_after_the_event_carries_the_events_date(client, editor):
    client.force_login(editor)
    data = form_data(state="published", published_at_0="19.11.2020", published_at_1="12:00:00")
    assert client.post("/admin/news/article/add/", data).status_code == 302
    article = Article.objects.get()
    assert article.author == editor
    assert timezone.localtime(article.published_at) == timezone.make_aware(
        datetime(2020, 11, 19, 12, 0)
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "19. november 2020" in page


def test_a_publication_date_in_the_future_is_refused(client, editor):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    data = form_data(state="published", published_at_0="2099-11-19", published_at_1="12:00:00")
    response = client.post("/admin/news/article/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["published_at"] == [
        "The publication date cannot be in the future. To publish later, schedule the article."
    ]
    assert not Article.objects.exists()
