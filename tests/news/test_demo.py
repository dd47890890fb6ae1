"""seed_demo adds the editor and the demo world's news, once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal import demo
from portal.accounts.models import User
from portal.news.models import Article

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_an_editor_who_may_write_news(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    editor = User.objects.get(email="redaktor@example.no")
    assert editor.full_name == "Rita Redaktør"
    assert editor.is_staff and not editor.is_superuser
    assert editor.check_password(demo.PASSWORD)
    assert editor.groups.filter(name="Editors").exists()
    assert editor.has_perm("news.add_article")
    assert editor.emailaddress_set.get().verified
    assert ("redaktor@example.no", "editor (writes news in the admin site)") in demo.ACCOUNTS


def test_seed_demo_adds_published_scheduled_and_draft_articles_with_a_photo(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    states = list(Article.objects.values_list("state", flat=True))
    assert states.count(Article.State.SCHEDULED) == 1
    assert states.count(Article.State.DRAFT) == 1
    assert Article.objects.published().count() == 3
    scheduled = Article.objects.get(state=Article.State.SCHEDULED)
    assert scheduled.publish_at > timezone.now()
    with_photo = Article.objects.exclude(photo="").get()
    assert with_photo.photo_alt and with_photo.photo_web_width == 1600
    assert with_photo.related_organisations.filter(name="Nordlysrittet AS").exists()


def test_seed_demo_twice_adds_no_second_editor_or_article(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = (User.objects.count(), Article.objects.count(), Article.objects.order_by("pk").last())
    call_command("seed_demo")
    after = (User.objects.count(), Article.objects.count(), Article.objects.order_by("pk").last())
    assert before == after
