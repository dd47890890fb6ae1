"""News about agreements and programmes: drafts from their facts, lists, links and filters."""

import pytest

from portal.news import services as news_services
from portal.news.models import Article
from tests.factories import UserFactory, enrol_totp
from tests.news.factories import ArticleFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.programmes.factories import programme_under

pytestmark = pytest.mark.django_db


def editor():
    user = UserFactory(is_staff=True)
    news_services.editor_add(user=user)
    return user


def test_an_adviser_starts_a_draft_from_the_agreements_facts(client, agreement):
    client.force_login(agreement.responsible_adviser)
    client.cookies["django_language"] = "nb"
    response = client.post(f"{agreement.get_absolute_url()}news-draft/", follow=True)
    article = Article.objects.get()
    assert article.state == Article.State.DRAFT
    assert article.language == "nb"
    assert "Rittet som plattform" in article.title
    assert "NAV Nordland og Nordlysrittet AS" in article.lead
    assert "Flere arbeidsgivere skal ansette folk som står utenfor." in article.body
    assert "Solveig Strand, Direktør, NAV Nordland" in article.body
    assert "Kari Dybvik, Daglig leder, Nordlysrittet AS" in article.body
    assert set(article.related_organisations.values_list("name", flat=True)) == {
        "NAV Nordland",
        "Nordlysrittet AS",
    }
    assert list(article.related_agreements.all()) == [agreement]
    # The adviser stays on the agreement; the draft waits for the editors.
    assert response.redirect_chain[-1][0] == agreement.get_absolute_url()
    assert "klar for redaktørene" in response.content.decode()


def test_an_admin_goes_on_to_finish_the_draft_in_the_admin_site(client, agreement):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(f"{agreement.get_absolute_url()}news-draft/")
    article = Article.objects.get()
    assert response.url == f"/admin/news/article/{article.pk}/change/"


def test_partner_staff_cannot_start_news_drafts(client, agreement):
    own = agreement.parties.get(organisation__kind="partner").organisation
    client.force_login(member_of(own))
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "news-draft" not in page
    client.post(f"{agreement.get_absolute_url()}news-draft/")
    assert not Article.objects.exists()


def test_a_programme_draft_reports_its_results(client, programme):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "en"
    client.post(f"{programme.get_absolute_url()}news-draft/")
    article = Article.objects.get()
    assert article.title == "Results from Jobbsjansen"
    assert "1 employers have taken part in Jobbsjansen so far, and 4 people" in article.lead
    assert "- 1 sessions held" in article.body
    assert list(article.related_programmes.all()) == [programme]
    assert list(article.related_agreements.all()) == list(programme.agreements.all())


def test_agreement_and_programme_pages_list_their_published_news(client, programme):
    agreement = programme.agreements.get()
    published = ArticleFactory(title="Rittet rekrutterer")
    published.related_agreements.add(agreement)
    published.related_programmes.add(programme)
    draft = ArticleFactory(title="Ikke ferdig ennå", state="draft")
    draft.related_agreements.add(agreement)
    client.force_login(agreement.responsible_adviser)
    for url in (agreement.get_absolute_url(), programme.get_absolute_url()):
        page = client.get(url).content.decode()
        assert f'href="{published.get_absolute_url()}"' in page
        assert "Ikke ferdig ennå" not in page


def test_the_article_links_the_agreement_only_for_readers_who_may_see_it(client, programme):
    agreement = programme.agreements.get()
    article = ArticleFactory(slug="rittet")
    article.related_agreements.add(agreement)
    article.related_programmes.add(programme)
    link = f'<a class="aksel-link" href="{agreement.get_absolute_url()}">'
    client.force_login(agreement.responsible_adviser)
    page = client.get("/news/rittet/").content.decode()
    assert link in page and f'href="{programme.get_absolute_url()}"' in page
    client.logout()
    page = client.get("/news/rittet/").content.decode()
    assert link not in page and str(agreement) in page


def test_news_can_be_filtered_by_programme(client, programme):
    about = ArticleFactory(title="Om programmet")
    about.related_programmes.add(programme)
    ArticleFactory(title="Noe annet")
    response = client.get(f"/news/?programme={programme.pk}")
    titles = [a.title for a in response.context["page"].object_list]
    assert titles == ["Om programmet"]


def test_a_draft_agreement_offers_no_news_draft_and_refuses_one(client):
    nav, race = nav_unit(), partner()
    adviser = member_of(nav)
    draft = agreement_for(adviser, nav, race, title="Hemmelig samarbeid")
    client.force_login(adviser)
    client.cookies["django_language"] = "en"
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "/news-draft/" not in page
    response = client.post(f"{draft.get_absolute_url()}news-draft/", follow=True)
    assert "News can be drafted about signed agreements only." in response.content.decode()
    assert not Article.objects.exists()


def test_a_published_article_never_names_an_unsigned_agreement(client, programme):
    """Even when an article is related to a draft agreement (and a programme under it), its
    public page names neither: an unsigned agreement is no public matter."""
    nav, race = nav_unit(), partner()
    draft = agreement_for(member_of(nav), nav, race, title="Hemmelig samarbeid")
    hidden = programme_under(draft, title="Skjult program")
    article = ArticleFactory(slug="nyheter")
    article.related_agreements.add(draft, *programme.agreements.all())
    article.related_programmes.add(hidden, programme)
    page = client.get("/news/nyheter/").content.decode()
    assert "Hemmelig samarbeid" not in page and "Skjult program" not in page
    assert programme.agreements.get().title in page and programme.title in page
    assert "Skjult program" not in client.get("/news/").content.decode()


def test_editors_choose_among_signed_agreements_only_in_the_admin(client, agreement):
    nav, race = nav_unit(), partner()
    agreement_for(member_of(nav), nav, race, title="Hemmelig samarbeid")
    editor = enrol_totp(UserFactory())
    news_services.editor_add(user=editor)
    client.force_login(editor)
    page = client.get("/admin/news/article/add/").content.decode()
    assert "Hemmelig samarbeid" not in page
    # Found with the admin's autocomplete, which offers the signed one only.
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "article", "field_name": "related_agreements"},
    )
    assert [result["text"] for result in response.json()["results"]] == [str(agreement)]
