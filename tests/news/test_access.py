"""Who may see and change articles: published ones are public, drafts are for editors."""

import pytest

from portal.accounts import access
from portal.news import services
from portal.news.models import Article
from tests.factories import UserFactory, adviser, employer_contact, partner_staff
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return {
        "published": ArticleFactory(slug="publisert"),
        "draft": ArticleFactory(slug="utkast", state=Article.State.DRAFT),
        "archived": ArticleFactory(slug="arkivert", state=Article.State.ARCHIVED),
    }


def editor():
    user = UserFactory()
    services.editor_add(user=user)
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


@pytest.mark.parametrize(
    "make_reader",
    [lambda: None, adviser, partner_staff, employer_contact, UserFactory],
    ids=["anonymous", "adviser", "partner", "employer", "no-organisation"],
)
def test_readers_see_only_published_articles_and_change_none(articles, make_reader):
    from django.contrib.auth.models import AnonymousUser

    reader = make_reader() or AnonymousUser()
    assert slugs(access.visible(reader, Article.objects.all())) == {"publisert"}
    assert not access.changeable(reader, Article.objects.all()).exists()
    assert not access.can_view(reader, articles["draft"])


def test_partner_staff_do_not_see_a_draft_that_mentions_their_organisation(articles):
    user = partner_staff()
    articles["draft"].related_organisations.add(user.memberships.get().organisation)
    assert not access.can_view(user, articles["draft"])


def test_editors_and_admins_see_and_change_every_article(articles):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for user in (editor(), admin):
        assert slugs(access.visible(user, Article.objects.all())) == {
            "publisert",
            "utkast",
            "arkivert",
        }
        assert access.can_change(user, articles["draft"])


def test_staff_outside_the_editors_group_are_readers(articles):
    staff = UserFactory(is_staff=True)
    assert slugs(access.visible(staff, Article.objects.all())) == {"publisert"}


def test_whoever_may_change_articles_may_also_see_drafts(articles):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    user = type(user).objects.get(pk=user.pk)
    assert access.can_view(user, articles["draft"])
