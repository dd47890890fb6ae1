"""An adviser registers an agreement, activates it and finds the follow-up on the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.demo import DEMO_PDF
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_party(page, index, name):
    """Type part of the name, as a person would, then pick it from the matches htmx brings."""
    page.locator(f"#id_parties-{index}-organisation_search").fill(name)
    select = page.locator(f"#id_parties-{index}-organisation")
    expect(select).to_contain_text(name)
    select.select_option(label=name)


def test_adviser_registers_activates_and_follows_up(page, live_server, demo_world, tmp_path):
    log_in(page, live_server, "radgiver@example.no")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Avtaler").click()
    page.get_by_role("link", name="Registrer en avtale").click()

    page.get_by_label("Tittel", exact=True).fill("Sommerjobb i Lofoten")
    page.get_by_label("Formål").fill("Ungdom fra NAV får sommerjobb i reiselivet.")
    page.get_by_label("Ungdom i arbeid").check()
    page.get_by_label("Startdato").fill("2026-05-01")
    choose_party(page, 0, "NAV Nordland")
    page.locator("#id_parties-0-signatories-0-name").fill("Solveig Strand")
    choose_party(page, 1, "Nordlysrittet AS")
    page.locator("#id_parties-1-signatories-0-name").fill("Kari Dybvik")
    # "Add a party" fetches one more row with htmx, without sending the form.
    page.get_by_role("button", name="Legg til en part").click()
    choose_party(page, 2, "Næringsforum Gardermoen")
    page.locator("#id_parties-2-signatories-0-name").fill("Nils Næring")
    expect(page.locator("#id_parties-0-signatories-0-name")).to_have_value("Solveig Strand")
    page.get_by_role("button", name="Lagre avtalen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sommerjobb i Lofoten")
    expect(page.get_by_text("Signert av Solveig Strand")).to_be_visible()
    expect(page.get_by_text("Signert av Nils Næring")).to_be_visible()

    pdf = tmp_path / "signert-avtale.pdf"
    pdf.write_bytes(DEMO_PDF)
    documents = page.locator("#documents")
    documents.get_by_label("Tittel").fill("Signert avtale")
    documents.get_by_label("Fil").set_input_files(str(pdf))
    documents.get_by_role("button", name="Last opp").click()
    expect(page.locator("#documents").get_by_role("link", name="Signert avtale")).to_be_visible()

    page.get_by_role("button", name="Start forhandling").click()
    page.get_by_role("button", name="Aktiver").click()
    expect(page.get_by_role("status").first).to_contain_text("aktiv")

    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    activities = page.locator("#activities")
    activities.get_by_label("Type").select_option(label="Møte")
    activities.get_by_label("Tittel").fill("Oppstartsmøte med rittet")
    activities.get_by_label("Frist").fill(due)
    activities.get_by_role("button", name="Legg til aktiviteten").click()
    expect(page.locator("#activities").get_by_text("Oppstartsmøte med rittet")).to_be_visible()

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Oversikt").click()
    expect(page.get_by_test_id("followups")).to_contain_text("Oppstartsmøte med rittet")
