"""An adviser registers an agreement, activates it and finds the follow-up on the dashboard;
the adviser's week (an agreement ending soon renewed, a meeting logged, its reminder); a
partner's own agreements, a document and a programme's sessions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.demo import DEMO_PDF
from tests.browser.conftest import log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_party(page, index, name):
    """Type part of the name, as a person would, then pick it from the matches htmx brings."""
    # Key by key: a row "Add a party" has just brought may not be listened to by htmx yet
    # when the first key lands (it processes new content as it settles); a person's later
    # keys are, and the search sends what the field holds then.
    page.locator(f"#id_parties-{index}-organisation_search").press_sequentially(name, delay=30)
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
    # The responsible adviser is found by name or e-mail, not picked from a list of everyone.
    page.get_by_label("Finn en rådgiver").fill("lars.radgiver")
    expect(page.locator("#id_responsible_adviser_search-status")).to_have_text("Velg blant 1 treff")
    page.locator("#id_responsible_adviser").select_option(
        label="Lars Lien (lars.radgiver@example.no)"
    )
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
    expect(page.get_by_text("Lars Lien", exact=True)).to_be_visible()
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


NORDLYS = "Nordlysrittet som plattform for inkludering"


def test_the_advisers_week(page, live_server, demo_world):
    """Monday's dashboard shows an agreement ending soon; the adviser renews it, logs a meeting
    for tomorrow and, when the reminder job runs, gets the reminder by e-mail and in the portal."""
    from portal.reminders.services import reminders_send_due, reminders_sweep

    log_in(page, live_server, "radgiver@example.no")
    ending = page.locator("section[aria-labelledby=ending-heading]")
    ending.get_by_role("link", name=NORDLYS).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NORDLYS)
    original = page.url

    page.get_by_role("button", name="Forny").click()
    expect(page.get_by_role("status").first).to_contain_text("erstatter")
    expect(page.get_by_role("heading", level=1)).to_have_text(NORDLYS)
    assert page.url != original  # the successor, a draft of its own

    page.goto(original)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    activities = page.locator("#activities")
    activities.get_by_label("Type").select_option(label="Møte")
    activities.get_by_label("Tittel").fill("Fornyelsesmøte med rittet")
    activities.get_by_label("Frist").fill(tomorrow)
    activities.get_by_role("button", name="Legg til aktiviteten").click()
    expect(page.locator("#activities").get_by_text("Fornyelsesmøte med rittet")).to_be_visible()

    # The reminder job (python manage.py run_reminders) runs: a follow-up due tomorrow.
    reminders_sweep()
    reminders_send_due()
    [reminder] = [
        m
        for m in mail.outbox
        if "radgiver@example.no" in m.to and "Fornyelsesmøte med rittet" in m.body
    ]
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_test_id("notifications")).to_contain_text(reminder.subject)
    save_screenshot(page, "adviser-journey")


def test_the_partner_sees_only_their_own_agreements_adds_a_document_and_a_session(
    page, live_server, demo_world, tmp_path
):
    from partnerships.models import Agreement

    foreign = Agreement.objects.get(title__startswith="Strategisk samarbeid")
    log_in(page, live_server, "partner@example.no")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Avtaler").click()
    rows = page.locator("#agreement-results tbody tr")
    expect(rows.filter(has_text=NORDLYS)).to_have_count(1)
    expect(rows.filter(has_text="Strategisk samarbeid")).to_have_count(0)
    assert page.request.get(f"{live_server.url}{foreign.get_absolute_url()}").status == 404

    rows.filter(has_text=NORDLYS).get_by_role("link").first.click()
    pdf = tmp_path / "referat.pdf"
    pdf.write_bytes(DEMO_PDF)
    documents = page.locator("#documents")
    documents.get_by_label("Tittel").fill("Referat fra styremøtet")
    documents.get_by_label("Fil").set_input_files(str(pdf))
    documents.get_by_role("button", name="Last opp").click()
    expect(
        page.locator("#documents").get_by_role("link", name="Referat fra styremøtet")
    ).to_be_visible()

    page.goto(f"{live_server.url}/programmes/sommerjobb-nordlysrittet/manage/")
    page.get_by_role("link", name="Ny møteplass").click()
    starts = timezone.localdate() + timedelta(days=50)
    page.locator("#id_title").fill("Rigging i Narvik")
    page.locator("#id_starts_at").fill(f"{starts.isoformat()}T09:00")
    page.locator("#id_ends_at").fill(f"{starts.isoformat()}T15:00")
    page.locator("#id_address").fill("Narvik torg")
    page.locator("#id_capacity").fill("8")
    page.get_by_role("button", name="Lagre møteplassen").click()
    expect(page).to_have_url(f"{live_server.url}/programmes/sommerjobb-nordlysrittet/manage/")
    expect(page.locator("main")).to_contain_text("Rigging i Narvik")
    save_screenshot(page, "partner-journey")
