"""The workspace at scale: pages whose queries and size do not grow with the data
(docs/BENCHMARKS.md has the figures at 100,000 agreements)."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from freezegun import freeze_time
from openpyxl import load_workbook

from partnerships import exports, search, selectors, services
from partnerships.demo import DEMO_PDF
from partnerships.models import Activity, Agreement
from portal.accounts import access
from portal.accounts.models import Organisation
from tests.factories import OrganisationFactory
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db

# The ceiling for any page, as a logged-in user meets it (docs/BENCHMARKS.md).
MOST_QUERIES = 12


@pytest.fixture
def unit(client):
    """A NAV unit, its adviser (logged in, in English) and one agreement with a partner."""
    nav = nav_unit(name="NAV Skalering")
    adviser = member_of(nav)
    first = agreement_for(
        adviser, nav, partner(name="Første Partner AS"), title="Avtale om inkludering 0"
    )
    client.force_login(adviser)
    client.cookies["django_language"] = "en"
    return {"nav": nav, "adviser": adviser, "first": first}


def _grow(unit, n):
    for i in range(n):
        agreement_for(
            unit["adviser"],
            unit["nav"],
            partner(name=f"Partner {i} AS"),
            title=f"Avtale om inkludering {i + 1}",
        )


def _pages(unit):
    reference = unit["first"].reference
    return [
        "/dashboard/",
        "/agreements/?scope=all",
        "/agreements/?scope=all&page=last",
        "/agreements/?scope=all&q=inkludering",
        "/search/?q=inkludering",
        f"/organisations/{unit['nav'].pk}/",
        f"/agreements/{reference}/",
        f"/agreements/{reference}/edit/",
        f"/agreements/{reference}/history/",
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_heavy_pages_make_as_many_queries_for_thirty_agreements_as_for_one(
    client, unit, django_assert_max_num_queries
):
    for url in _pages(unit):
        client.get(url)  # once a session: the two-factor check, the unread count cached
    few = {url: _queries(client, url) for url in _pages(unit)}
    over = {url: n for url, n in few.items() if n > MOST_QUERIES}
    assert over == {}
    _grow(unit, 30)
    Organisation.objects.bulk_create(
        OrganisationFactory.build(kind=Organisation.Kind.PARTNER) for _ in range(20)
    )
    for url in _pages(unit):
        with django_assert_max_num_queries(few[url]):
            client.get(url)


def test_an_organisations_page_shows_its_agreements_a_page_at_a_time(client, unit):
    _grow(unit, 26)  # 27 in all
    page = client.get(f"/organisations/{unit['nav'].pk}/").content.decode()
    assert page.count('href="/agreements/SA-') == 25
    assert "27 agreements" in page and 'rel="next"' in page
    second = client.get(f"/organisations/{unit['nav'].pk}/?page=2").content.decode()
    assert second.count('href="/agreements/SA-') == 2


def test_the_history_comes_a_page_at_a_time_with_what_changed(client, unit):
    agreement = unit["first"]
    for n in range(25):
        agreement = services.agreement_update(
            agreement=agreement,
            user=unit["adviser"],
            data={"title": f"Tittel {n}", "responsible_adviser": unit["adviser"]},
            parties=[services.PartyInput(p.organisation) for p in agreement.parties.all()],
        )
    detail = client.get(agreement.get_absolute_url()).content.decode()
    history = detail[detail.index('id="history-heading"') :]
    assert history.count("<li>") <= 20 + 20  # entries, and a line per change within them
    assert "Title: Tittel 23 → Tittel 24" in history
    assert f'href="/agreements/{agreement.reference}/history/?page=2">Older changes' in history
    older = client.get(f"/agreements/{agreement.reference}/history/?page=2").content.decode()
    assert "Title: Tittel 0 → Tittel 1" in older
    assert "Cooperation agreement</span> added" in older  # the registration, last of all
    assert 'rel="prev"' in older and 'rel="next"' not in older


def test_the_agreement_page_shows_changes_to_every_part_of_it_in_as_many_queries(client, unit):
    """The history reads the rows of its page in one query, whichever tables they are in."""
    adviser, agreement = unit["adviser"], unit["first"]
    agreement = services.agreement_update(
        agreement=agreement,
        user=adviser,
        data={
            "title": "Avtale om rekruttering",
            "end_date": date(2027, 6, 30),
            "focus_areas": ["recruitment", "inclusion"],
            "responsible_adviser": adviser,
        },
        parties=[
            *(services.PartyInput(p.organisation) for p in agreement.parties.all()),
            services.PartyInput(partner(name="Andre Partner AS")),
        ],
        goals=[{"text": "Ti jobber", "target": 10, "measure": "manual"}],
    )
    activity = services.activity_create(
        agreement=agreement,
        user=adviser,
        data={
            "kind": "meeting",
            "title": "Oppstartsmøte",
            "due_date": date(2026, 3, 1),
            "responsible": adviser,
        },
    )
    services.activity_mark_done(activity=activity, user=adviser)
    services.document_upload(
        agreement=agreement,
        user=adviser,
        title="Signert avtale",
        kind="other",
        file=SimpleUploadedFile("avtale.pdf", DEMO_PDF),
    )
    client.get(agreement.get_absolute_url())  # the session's own first-visit reads

    with CaptureQueriesContext(connection) as queries:
        page = client.get(agreement.get_absolute_url()).content.decode()

    assert len(queries) <= MOST_QUERIES
    history = page[page.index('id="history-heading"') :]
    assert "Cooperation agreement</span> changed: Avtale om rekruttering" in history
    assert "Title: Avtale om inkludering 0 → Avtale om rekruttering" in history
    assert f"End date: – → {date_format(date(2027, 6, 30))}" in history
    assert "Focus areas: – → Recruitment, Inclusion" in history  # labels, not codes
    assert "Party</span> added: Andre Partner AS" in history
    assert "Goal</span> added: Ti jobber" in history
    assert "Follow-up activity</span> changed: Oppstartsmøte" in history
    done = timezone.localtime(Activity.objects.get().done_at)
    assert f"Done: – → {date_format(done, 'DATETIME_FORMAT')}" in history
    assert "Document</span> added: Signert avtale" in history
    assert f"· {adviser}</p>" in history  # who made them


def _history_reads(queries) -> int:
    """The queries that read history records whole (as one JSON object a row)."""
    return sum(
        "JSON" in q["sql"].upper() and "HISTORICAL" in q["sql"].upper()
        for q in queries.captured_queries
    )


def test_a_second_visit_takes_the_history_rows_from_the_cache_but_names_as_they_are_now(
    client, unit
):
    """History rows are never changed, so a page's rows are read once; who made a change
    and a party's name can change, and the page shows them as they are now."""
    adviser, agreement = unit["adviser"], unit["first"]
    url = agreement.get_absolute_url()
    client.get("/dashboard/")  # the session's own first-visit reads
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    assert _history_reads(first) == 1
    assert len(first) <= MOST_QUERIES  # the page's most: every new change is read so
    assert "Party</span> added: Første Partner AS" in page
    assert f"· {adviser}</p>" in page

    Organisation.objects.filter(name="Første Partner AS").update(name="Nytt Navn AS")
    type(adviser).objects.filter(pk=adviser.pk).update(full_name="Ny Rådgiver")
    with CaptureQueriesContext(connection) as second:
        page = client.get(url).content.decode()
    assert _history_reads(second) == 0
    assert len(second) < len(first)
    history = page[page.index('id="history-heading"') :]
    assert "Party</span> added: Nytt Navn AS" in history
    assert "Første Partner AS" not in history
    assert "· Ny Rådgiver</p>" in history

    services.activity_create(
        agreement=agreement,
        user=adviser,
        data={
            "kind": "meeting",
            "title": "Nytt møte",
            "due_date": date(2026, 3, 1),
            "responsible": adviser,
        },
    )
    with CaptureQueriesContext(connection) as third:
        page = client.get(url).content.decode()
    assert _history_reads(third) == 1  # a page with a new row is read again
    assert "Follow-up activity</span> added: Nytt møte" in page


def test_an_adviser_outside_the_parties_reads_the_agreement_page_in_as_many_queries(client, unit):
    """The activity form offers no one it may not choose, and so asks nothing to find that."""
    other = member_of(nav_unit(name="NAV Annen"))
    client.force_login(other)
    url = unit["first"].get_absolute_url()
    client.get(url)  # the session's own first-visit reads

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()

    assert len(queries) <= MOST_QUERIES
    assert "Avtale om inkludering 0" in page and "Add the activity" in page
    assert f'<option value="{other.pk}"' not in page


def test_the_csv_export_streams_every_agreement_a_chunk_at_a_time(client, unit, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    _grow(unit, 4)
    response = client.get("/agreements/export/?scope=all&format=csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 5
    assert {row[3] for row in rows[1:]} == {
        f"NAV Skalering; {name}"
        for name in ["Første Partner AS", *(f"Partner {i} AS" for i in range(4))]
    }


def test_the_excel_export_is_written_row_by_row_and_streamed(client, unit, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    _grow(unit, 4)
    response = client.get("/agreements/export/?scope=all&format=xlsx")
    assert response.streaming
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.max_row == 1 + 5


def test_the_list_sort_by_end_date_has_its_index():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Agreement._meta.db_table)
    index = constraints["agreement_end_date_sort"]
    assert index["index"] and index["columns"] == ["end_date", "reference_year", "reference_number"]


def test_the_dashboard_counts_once_per_few_minutes_for_everyone_who_sees_the_same(client, unit):
    client.get("/agreements/")  # the session's own first-visit reads are done
    first = _queries(client, "/dashboard/")
    again = _queries(client, "/dashboard/")
    assert again == first - 2  # by status and by county come from the cache


def _drafts_on_the_dashboard(client) -> int:
    page = client.get("/dashboard/").content.decode()
    return int(re.search(r'aria-label="Draft: (\d+)"', page).group(1))


def test_past_their_time_one_visitor_counts_again_and_the_others_see_the_last_counts(client, unit):
    visible = access.visible(unit["adviser"], Agreement.objects.all())
    counting = selectors.dashboard_counts_key(visible) + ":counting"
    with freeze_time(timezone.now()) as clock:
        assert _drafts_on_the_dashboard(client) == 1
        _grow(unit, 1)
        assert _drafts_on_the_dashboard(client) == 1  # counted a moment ago

        clock.tick(selectors.DASHBOARD_COUNTS_SECONDS + 1)
        cache.add(counting, True)  # another visitor is counting them again
        before = _queries(client, "/dashboard/")
        assert _drafts_on_the_dashboard(client) == 1  # the last counts, at once
        cache.delete(counting)
        counted = _queries(client, "/dashboard/")  # this visitor counts
        assert counted == before + 2
        assert _drafts_on_the_dashboard(client) == 2
        assert _queries(client, "/dashboard/") == before


@pytest.mark.postgres
def test_a_search_with_more_matches_than_the_cap_ranks_and_counts_only_the_cap(
    client, unit, monkeypatch
):
    monkeypatch.setattr(search, "CAP", 3)
    _grow(unit, 6)
    page = client.get("/agreements/?scope=all&q=inkludering").content.decode()
    assert "More than 3 agreements match" in page
    assert page.count('href="/agreements/SA-') == 4  # CAP + 1 found, ranked
    narrowed = client.get("/agreements/?scope=all&q=første").content.decode()
    assert "1 agreement" in narrowed


def test_an_organisations_page_counts_its_agreements_for_each_reader(client, unit):
    """Advisers see every agreement, so the page counts the organisation's party rows; partner
    staff see only their own organisation's page, where it counts what they may see."""
    _grow(unit, 2)  # 3 agreements of the NAV unit, each with another partner
    ours = partner(name="Vår Partner AS")
    agreement_for(unit["adviser"], unit["nav"], ours, title="Vår avtale")
    agreement_for(unit["adviser"], nav_unit(name="NAV Annen"), ours, title="Vår andre avtale")
    adviser_sees = client.get(f"/organisations/{unit['nav'].pk}/").content.decode()
    assert adviser_sees.count('href="/agreements/SA-') == 4 and "4 agreements" in adviser_sees
    client.force_login(member_of(ours))
    assert client.get(f"/organisations/{unit['nav'].pk}/").status_code == 404
    own = client.get(f"/organisations/{ours.pk}/").content.decode()
    assert own.count('href="/agreements/SA-') == 2 and "2 agreements" in own
