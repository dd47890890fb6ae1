"""The live parts (htmx): the agreement list follows the search box, and an activity is
marked done in place, both without loading the page again and within the strict CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAME_PAGE = "window.portalSamePage"


def _watch_console(page) -> list[str]:
    """Errors the browser reports, a refused script or style under the CSP among them."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _mark_the_page(page):
    # A page load wipes window's properties: the mark survives only on the same page.
    page.evaluate(f"{SAME_PAGE} = true")


def test_the_agreement_list_follows_the_search_box_without_a_page_load(
    page, live_server, demo_world
):
    errors = _watch_console(page)
    log_in(page, live_server, "radgiver@example.no")
    page.goto(f"{live_server.url}/agreements/?scope=all")
    results = page.locator("#agreement-results tbody tr")
    expect(results.filter(has_text="Nordlysrittet som plattform")).to_have_count(1)
    expect(results.filter(has_text="Strategisk samarbeid")).to_have_count(1)
    _mark_the_page(page)

    page.locator("form.portal-filters").get_by_label("Søk").press_sequentially("gardermo")

    expect(results.filter(has_text="Nordlysrittet som plattform")).to_have_count(0)
    expect(results.filter(has_text="Strategisk samarbeid")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/agreements/\?.*q=gardermo"))
    assert page.evaluate(SAME_PAGE) is True
    # Choosing a filter updates the list the same way.
    page.locator("form.portal-filters").get_by_label("Søk").fill("")
    page.locator("form.portal-filters").get_by_label("Fylke").select_option(value="18")
    expect(results.filter(has_text="Nordlysrittet som plattform")).to_have_count(1)
    expect(results.filter(has_text="Strategisk samarbeid")).to_have_count(0)
    assert page.evaluate(SAME_PAGE) is True
    assert errors == []


def test_the_agreement_list_filters_by_an_adviser_found_by_name(page, live_server, demo_world):
    errors = _watch_console(page)
    log_in(page, live_server, "radgiver@example.no")
    page.goto(f"{live_server.url}/agreements/?scope=all")
    results = page.locator("#agreement-results tbody tr")
    expect(results.filter(has_text="Innovasjonsverksted for inkludering")).to_have_count(1)
    expect(results.filter(has_text="Strategisk samarbeid")).to_have_count(1)
    _mark_the_page(page)

    # No list of every adviser: a search, whose matches fill the list.
    expect(page.locator("#id_adviser option")).to_have_count(1)
    page.locator("form.portal-filters").get_by_label("Finn en rådgiver").press_sequentially("lars")
    expect(page.locator("#id_adviser_search-status")).to_have_text("Velg blant 1 treff")
    expect(page).to_have_url(f"{live_server.url}/agreements/?scope=all")  # only the list changed
    page.locator("#id_adviser").select_option(label="Lars Lien")

    expect(results.filter(has_text="Strategisk samarbeid")).to_have_count(0)
    expect(results.filter(has_text="Innovasjonsverksted for inkludering")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/agreements/\?.*adviser=\d+"))
    assert "adviser_search" not in page.url  # what was typed is no filter
    assert page.evaluate(SAME_PAGE) is True
    page.reload()  # the address holds the filter: the adviser stays chosen
    expect(page.locator("#id_adviser option:checked")).to_have_text("Lars Lien")
    expect(results).to_have_count(1)
    assert errors == []


def test_an_activity_is_marked_done_in_place(page, live_server, demo_world):
    errors = _watch_console(page)
    log_in(page, live_server, "radgiver@example.no")
    page.goto(f"{live_server.url}/agreements/?scope=all")
    page.locator("#agreement-results tr", has_text="Nordlysrittet som plattform").get_by_role(
        "link"
    ).click()
    row = page.locator("#activities li", has_text="Evalueringsmøte med rittledelsen")
    expect(row).to_contain_text("Forfalt")
    _mark_the_page(page)

    row.get_by_role("button", name="Marker som utført").click()

    expect(row).to_contain_text("Utført")
    expect(row.get_by_role("button", name="Gjenåpne")).to_be_visible()
    assert page.evaluate(SAME_PAGE) is True
    page.reload()
    expect(page.locator("#activities li", has_text="Evalueringsmøte")).to_contain_text("Utført")
    assert errors == []
