"""An editor writes an article with a photo, previews it, schedules it for tomorrow morning,
and readers find it once the time has come."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time
from PIL import Image
from playwright.sync_api import expect

from portal.news.models import Article
from tests.browser.conftest import log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Fjellvind Hotell tar inn tre lærlinger"
SLUG = "fjellvind-hotell-tar-inn-tre-laerlinger"


def test_an_editor_writes_previews_and_schedules_an_article_with_a_photo(
    page, live_server, demo_world, served_media, tmp_path
):
    photo = tmp_path / "resepsjon.jpg"
    Image.new("RGB", (2400, 1600), (180, 120, 60)).save(photo, "JPEG")

    log_in(page, live_server, "redaktor@example.no")
    expect(page).to_have_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/news/article/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_lead").fill("Hotellet og NAV Troms og Finnmark har avtalt tre læreplasser.")
    # The admin's own script made the slug from the title when the title lost focus.
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.locator("#id_body").fill("## Tre plasser\n\nHotellet tar inn **tre** lærlinger i høst.")
    page.locator("#id_photo").set_input_files(str(photo))
    page.locator("#id_photo_alt").fill("Resepsjonen på Fjellvind Hotell i kveldssol")
    page.locator("#id_photo_caption").fill("Resepsjonen blir en av arbeidsplassene.")
    page.locator("#id_photo_credit").fill("Fjellvind Hotell AS")
    # The hotel is found by typing part of its name (the admin's autocomplete), not picked
    # from a list of every organisation.
    search = page.locator("#id_related_organisations + .select2 .select2-search__field")
    expect(search).to_have_attribute("aria-label", re.compile(r"\w"))  # axe: label
    search.press_sequentially("fjellvind")
    page.locator(".select2-results__option", has_text="Fjellvind Hotell AS").click()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert [str(o) for o in Article.objects.get(slug=SLUG).related_organisations.all()] == [
        "Fjellvind Hotell AS"
    ]

    # Not public while it is a draft.
    assert page.request.get(f"{live_server.url}/news/{SLUG}/").status == 404

    page.get_by_role("link", name="Forhåndsvisning").click()
    expect(page).to_have_url(f"{live_server.url}/news/{SLUG}/preview/")
    expect(page.get_by_text("Forhåndsvisning – ikke publisert")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name="Tre plasser")).to_be_visible()
    image = page.get_by_role("img", name="Resepsjonen på Fjellvind Hotell i kveldssol")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 1600  # the web rendition, loaded
    expect(page.locator("figcaption")).to_contain_text("Foto: Fjellvind Hotell AS")

    # Scheduled for 07:00 tomorrow: saved, and still not public.
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.go_back()
    page.locator("#id_state").select_option("scheduled")
    page.locator("#id_publish_at_0").fill(tomorrow.isoformat())
    page.locator("#id_publish_at_1").fill("07:00")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.request.get(f"{live_server.url}/news/{SLUG}/").status == 404

    # The next morning. Only the server's clock moves; Playwright's own timers keep real time.
    morning = timezone.make_aware(datetime.combine(tomorrow, time(8)))
    with freeze_time(morning, tick=True, ignore=["asyncio", "playwright", "greenlet"]):
        _readers_find_it(page, live_server)


def _readers_find_it(page, live_server):
    page.goto(f"{live_server.url}/")
    latest = page.get_by_test_id("latest-news")
    expect(latest.get_by_role("link", name=TITLE)).to_be_visible()
    latest.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(f"{live_server.url}/news/{SLUG}/")
    expect(page.get_by_text("Forhåndsvisning")).to_have_count(0)

    feed = page.request.get(f"{live_server.url}/news/feed/")
    assert feed.ok
    assert f"<title>{TITLE}</title>" in feed.text()
    assert f"/news/{SLUG}/</link>" in feed.text()
    save_screenshot(page, "editor-journey")
