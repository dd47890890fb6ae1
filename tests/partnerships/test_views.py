import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import load_workbook

from partnerships import services
from partnerships.demo import DEMO_PDF
from partnerships.models import Activity, Agreement
from tests.factories import UserFactory, employer_contact
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner
from tests.posting import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    nav = nav_unit(name="NAV Nordland", county="18")
    own = partner(name="Nordlysrittet AS", county="18")
    other = partner(name="Næringsforum Gardermoen", county="32")
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, own, title="Nordlysrittet mot utenforskap")
    foreign = agreement_for(adviser, nav, other, title="Gardermoen-avtalen")
    services.document_upload(
        agreement=foreign,
        user=adviser,
        title="Hemmelig vedlegg",
        kind="other",
        file=SimpleUploadedFile("vedlegg.pdf", DEMO_PDF),
    )
    return {
        "nav": nav,
        "own": own,
        "other": other,
        "adviser": adviser,
        "partner_staff": member_of(own),
        "employer": employer_contact(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "agreement": agreement,
        "foreign": foreign,
    }


def urls_of(agreement):
    ref = agreement.reference
    document = agreement.documents.first()
    return [
        ("get", f"/agreements/{ref}/"),
        ("get", f"/agreements/{ref}/edit/"),
        ("post", f"/agreements/{ref}/status/negotiate/"),
        ("post", f"/agreements/{ref}/renew/"),
        ("post", f"/agreements/{ref}/activities/"),
        ("post", f"/agreements/{ref}/documents/"),
        *([("get", f"/agreements/{ref}/documents/{document.pk}/")] if document else []),
    ]


def test_a_partner_cannot_reach_another_partners_agreement_by_guessing_urls(client, world):
    client.force_login(world["partner_staff"])
    for method, url in urls_of(world["foreign"]):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    # Nor its organisation or its contacts.
    assert client.get(f"/organisations/{world['other'].pk}/").status_code == 404
    page = client.get("/agreements/?scope=all").content.decode()
    assert "Gardermoen-avtalen" not in page
    assert "Hemmelig vedlegg" not in client.get("/search/?q=vedlegg").content.decode()
    world["foreign"].refresh_from_db()
    assert world["foreign"].status == Agreement.Status.DRAFT


def test_a_partner_reads_their_own_agreement_and_adds_activities(client, world):
    client.force_login(world["partner_staff"])
    ref = world["agreement"].reference
    page = client.get(f"/agreements/{ref}/").content.decode()
    assert "Nordlysrittet mot utenforskap" in page
    assert "/status/" not in page  # no lifecycle buttons for partners
    assert client.get(f"/agreements/{ref}/edit/").status_code == 403
    response = client.post(
        f"/agreements/{ref}/activities/",
        {
            "activity-kind": "meeting",
            "activity-title": "Planlegge stand",
            "activity-due_date": "2026-12-01",
            "activity-responsible": world["partner_staff"].pk,
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get(title="Planlegge stand").agreement == world["agreement"]


@pytest.mark.parametrize("role", ["employer", None])
def test_employers_and_strangers_have_no_workspace(client, world, role):
    user = world[role] if role else UserFactory()
    client.force_login(user)
    assert client.get("/agreements/").status_code == 403
    assert client.get("/organisations/").status_code == 403
    assert client.get(f"/agreements/{world['agreement'].reference}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for _method, url in urls_of(world["agreement"])[:2]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_documents_are_served_only_through_the_checked_view(client, world, settings):
    client.force_login(world["adviser"])
    document = world["foreign"].documents.get()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert not str(document.file.path).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("avtale.pdf", DEMO_PDF, True),
        ("avtale.pdf", b"Dette er ikke en PDF", False),
        ("avtale.exe", b"MZ\x90\x00 program", False),
    ],
)
def test_uploads_are_checked_by_content(client, world, name, content, accepted):
    client.force_login(world["adviser"])
    ref = world["agreement"].reference
    response = client.post(
        f"/agreements/{ref}/documents/",
        {
            "document-title": "Signert",
            "document-kind": "signed_agreement",
            "document-file": SimpleUploadedFile(name, content),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "Only PDF, Word (DOCX) and OpenDocument text (ODT)" in response.content.decode()
        assert 'value="Signert"' in response.content.decode()  # nothing typed is lost


def test_an_upload_over_ten_megabytes_is_refused(client, world):
    client.force_login(world["adviser"])
    big = DEMO_PDF + b"0" * (10 * 1024 * 1024)
    response = client.post(
        f"/agreements/{world['agreement'].reference}/documents/",
        {
            "document-title": "Stor",
            "document-kind": "other",
            "document-file": SimpleUploadedFile("stor.pdf", big),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "the limit is 10.0" in response.content.decode()


def signatories(party, *rows):
    """The posted signatory rows of a party's form (name, position, date signed)."""
    prefix = f"{party}-signatories"
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, (name, title, signed_on) in enumerate(rows):
        data |= {
            f"{prefix}-{index}-name": name,
            f"{prefix}-{index}-title": title,
            f"{prefix}-{index}-signed_on": signed_on,
        }
    return data


def registration(world, **changes):
    data = {
        "title": "Ny avtale",
        "purpose": "Flere i jobb.",
        "focus_areas": ["inclusion"],
        "start_date": "2026-02-01",
        "end_date": "2027-02-01",
        "notice_period_months": "3",
        "responsible_adviser": world["adviser"].pk,
        "partner_contact": "",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "2",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-organisation": world["nav"].pk,
        **signatories("parties-0", ["Solveig Strand", "Direktør", "2026-01-15"]),
        "parties-1-organisation": world["own"].pk,
        **signatories("parties-1", ["Kari Dybvik", "", "2026-01-15"]),
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "goals-0-text": "Ti arbeidsgivere",
        "goals-0-target": "10",
        "goals-0-measure": "employers_signed_up",
        "goals-0-reached_manual": "0",
    }
    data.update(changes)
    return data


def test_an_adviser_registers_an_agreement_through_the_form(client, world):
    client.force_login(world["adviser"])
    response = client.post("/agreements/new/", registration(world))
    agreement = Agreement.objects.get(title="Ny avtale")
    assert response.url == agreement.get_absolute_url()
    assert agreement.focus_areas == ["inclusion"]
    signatories = {s.name for p in agreement.parties.all() for s in p.signatories.all()}
    assert signatories == {"Solveig Strand", "Kari Dybvik"}
    assert agreement.goals.get().measure == "employers_signed_up"


@pytest.mark.parametrize(
    ("language", "changes", "message"),
    [
        ("en", {"end_date": "2026-01-01"}, "The end date must be after the start date."),
        ("nb", {"end_date": "2026-01-01"}, "Sluttdatoen må være etter startdatoen."),
        ("nn", {"end_date": "2026-01-01"}, "Sluttdatoen må vere etter startdatoen."),
        (
            "en",
            {"parties-1-signatories-0-signed_on": "2099-01-01"},
            "The signing date cannot be in the future.",
        ),
        (
            "en",
            {"parties-1-organisation": "__nav2__"},
            "An agreement needs at least one NAV unit and one partner among its parties.",
        ),
        ("en", {"title": ""}, "This field is required."),
    ],
)
def test_a_wrong_registration_shows_the_error_and_keeps_the_input(
    client, world, language, changes, message
):
    if changes.get("parties-1-organisation") == "__nav2__":
        changes = {"parties-1-organisation": nav_unit().pk}
    client.force_login(world["adviser"])
    client.cookies["django_language"] = language
    response = client.post("/agreements/new/", registration(world, **changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Solveig Strand" in page and "Flere i jobb." in page
    assert not Agreement.objects.filter(title="Ny avtale").exists()


def test_add_a_party_keeps_what_was_typed(client, world):
    client.force_login(world["adviser"])
    response = client.post("/agreements/new/", registration(world, add_party="1"))
    page = response.content.decode()
    assert 'name="parties-2-organisation"' in page
    assert 'value="Solveig Strand"' in page
    assert not Agreement.objects.filter(title="Ny avtale").exists()


def test_lifecycle_buttons_post_and_show_the_new_status(client, world):
    client.force_login(world["adviser"])
    ref = world["agreement"].reference
    client.post(f"/agreements/{ref}/status/negotiate/")
    response = client.post(
        f"/agreements/{ref}/status/activate/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert Agreement.objects.get(reference=ref).status == "active"
    assert "The status is now: active." in response.content.decode()
    response = client.post(f"/agreements/{ref}/renew/")
    successor = Agreement.objects.get(replaces__reference=ref)
    assert response.url == successor.get_absolute_url()


# --- The list, its filters and exports -----------------------------------------------------


@pytest.fixture
def many(world):
    today = timezone.localdate()
    other_adviser = member_of(nav_unit(name="NAV Troms og Finnmark", county="55"))
    troms_partner = partner(name="Tromsø Næringsråd", county="55")
    made = {
        "ending_soon": agreement_for(
            world["adviser"],
            world["nav"],
            world["own"],
            status="active",
            title="Slutter snart",
            start_date=today - timedelta(days=300),
            end_date=today + timedelta(days=20),
            focus_areas=["youth_employment"],
        ),
        "ending_later": agreement_for(
            world["adviser"],
            world["nav"],
            world["own"],
            status="active",
            title="Slutter om to måneder",
            start_date=today - timedelta(days=300),
            end_date=today + timedelta(days=60),
        ),
        "troms": agreement_for(
            other_adviser,
            nav_unit(name="NAV Tromsø", county="55"),
            troms_partner,
            title="Tromsø-avtalen",
            status="negotiation",
        ),
    }
    return made | {"other_adviser": other_adviser}


def titles(response):
    return {a.title for a in response.context["page"].object_list}


def test_advisers_start_on_their_own_agreements(client, world, many):
    client.force_login(many["other_adviser"])
    assert titles(client.get("/agreements/")) == {"Tromsø-avtalen"}
    assert "Nordlysrittet mot utenforskap" in titles(client.get("/agreements/?scope=all"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=negotiation", {"Tromsø-avtalen"}),
        ("county=55", {"Tromsø-avtalen"}),
        ("ending_within=30", {"Slutter snart"}),
        ("ending_within=90", {"Slutter snart", "Slutter om to måneder"}),
        ("focus_area=youth_employment", {"Slutter snart"}),
        ("q=Tromsø", {"Tromsø-avtalen"}),
    ],
)
def test_filters_narrow_the_list(client, world, many, query, expected):
    client.force_login(world["adviser"])
    assert titles(client.get(f"/agreements/?scope=all&{query}")) == expected


def test_filter_by_nav_unit_and_adviser(client, world, many):
    client.force_login(world["adviser"])
    response = client.get(f"/agreements/?scope=all&adviser={many['other_adviser'].pk}")
    assert titles(response) == {"Tromsø-avtalen"}
    response = client.get(f"/agreements/?scope=all&nav_unit={world['nav'].pk}")
    assert "Tromsø-avtalen" not in titles(response) and "Slutter snart" in titles(response)


def test_the_filtered_list_exports_to_csv_and_excel(client, world, many):
    client.force_login(world["adviser"])
    response = client.get("/agreements/export/?scope=all&county=55&format=csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] in ("Referanse", "Reference")
    assert [row[1] for row in rows[1:]] == ["Tromsø-avtalen"]
    response = client.get("/agreements/export/?scope=all&ending_within=90&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    exported = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == {"Slutter snart", "Slutter om to måneder"}


def test_a_partner_export_holds_only_their_agreements(client, world):
    client.force_login(world["partner_staff"])
    response = client.get("/agreements/export/?format=csv")
    body = response.getvalue().decode("utf-8-sig")
    assert "Nordlysrittet mot utenforskap" in body and "Gardermoen-avtalen" not in body


def test_the_list_paginates(client, world):
    for n in range(27):
        agreement_for(world["adviser"], world["nav"], world["own"], title=f"Avtale {n:02d}")
    client.force_login(world["adviser"])
    first = client.get("/agreements/")
    assert len(first.context["page"].object_list) == 25
    second = client.get("/agreements/?page=2")
    assert len(second.context["page"].object_list) == 4  # 27 + the 2 from the fixture


def test_an_agreement_with_two_parties_in_the_county_is_listed_once(client, world, many):
    agreement_for(
        many["other_adviser"],
        nav_unit(name="NAV Finnmark", county="55"),
        partner(name="Vardø Fiskeri", county="55"),
        partner(name="Kirkenes Havn", county="55"),
        title="Tre parter i nord",
    )
    client.force_login(world["adviser"])
    response = client.get("/agreements/?scope=all&county=55")
    listed = [a.title for a in response.context["page"].object_list]
    assert sorted(listed) == ["Tre parter i nord", "Tromsø-avtalen"]
    assert response.context["page"].paginator.count == 2


def test_the_list_sorts_but_a_search_keeps_its_ranking(client, world, many):
    client.force_login(world["adviser"])

    def listed(query):
        page = client.get(f"/agreements/?scope=all&{query}").context["page"]
        return [a.title for a in page.object_list]

    assert listed("sort=title") == sorted(listed("sort=title"))
    assert len(listed("sort=title")) == 5
    assert listed("q=slutter&sort=title") == listed("q=slutter&sort=-start_date")
    assert set(listed("q=slutter")) == {"Slutter snart", "Slutter om to måneder"}


def test_an_unknown_filter_value_is_explained_and_lists_nothing(client, world):
    client.force_login(world["adviser"])
    response = client.get("/agreements/?scope=all&status=lost")
    assert titles(response) == set()
    assert response.context["form"].errors["status"]
    assert client.get("/agreements/export/?status=lost").status_code == 404


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_filtering_with_htmx_answers_with_the_results_only(client, world, many):
    client.force_login(world["adviser"])
    response = client.get("/agreements/?scope=all&q=Tromsø", **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'name="q"' not in body
    assert "Tromsø-avtalen" in body and "Slutter snart" not in body
    # The export links in the results follow the filter.
    assert "/agreements/export/?scope=all&amp;q=Troms%C3%B8&amp;format=csv" in body
    assert "HX-Request" in response["Vary"]
    # Without htmx, and when htmx restores history, the same address is the whole page.
    for headers in ({}, {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}):
        page = client.get("/agreements/?scope=all&q=Tromsø", **headers).content.decode()
        assert "<html" in page and 'name="q"' in page and "Tromsø-avtalen" in page


def test_the_organisation_register_filters_with_htmx(client, world):
    client.force_login(world["adviser"])
    body = client.get("/organisations/?q=Gardermoen", **HTMX).content.decode()
    assert "<html" not in body
    assert "Næringsforum Gardermoen" in body and "Nordlysrittet AS" not in body


def test_the_list_form_asks_htmx_for_results_as_the_user_types(client, world):
    client.force_login(world["adviser"])
    page = client.get("/agreements/").content.decode()
    assert 'hx-get="/agreements/"' in page and 'hx-target="#agreement-results"' in page
    assert 'id="agreement-results"' in page


def _activity(world, **data):
    return services.activity_create(
        agreement=world["agreement"],
        user=world["adviser"],
        data={
            "kind": "meeting",
            "title": "Oppstartsmøte",
            "due_date": date(2026, 12, 1),
            "responsible": world["adviser"],
            **data,
        },
    )


def test_marking_an_activity_done_with_htmx_answers_with_its_row(client, world):
    activity = _activity(world)
    client.force_login(world["adviser"])
    url = f"/agreements/{world['agreement'].reference}/activities/{activity.pk}/done/"
    response = client.post(url, **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert "<html" not in row
    assert f'id="activity-{activity.pk}"' in row and "Oppstartsmøte" in row
    assert "Utført" in row and 'name="done" value="0"' in row  # now offers to reopen
    activity.refresh_from_db()
    assert activity.is_done
    response = client.post(url, {"done": "0"}, **HTMX)
    assert "Marker som utført" in response.content.decode()
    activity.refresh_from_db()
    assert not activity.is_done


def test_marking_an_activity_done_without_htmx_reloads_the_page(client, world):
    activity = _activity(world)
    client.force_login(world["adviser"])
    url = f"/agreements/{world['agreement'].reference}/activities/{activity.pk}/done/"
    response = client.post(url)
    assert response.status_code == 302 and response.url.endswith("#activities")
    activity.refresh_from_db()
    assert activity.is_done


def test_another_partners_activity_cannot_be_marked_done_with_htmx(client, world):
    activity = services.activity_create(
        agreement=world["foreign"],
        user=world["adviser"],
        data={
            "kind": "meeting",
            "title": "Hemmelig møte",
            "due_date": date(2026, 12, 1),
            "responsible": world["adviser"],
        },
    )
    client.force_login(world["partner_staff"])
    url = f"/agreements/{world['foreign'].reference}/activities/{activity.pk}/done/"
    assert client.post(url, **HTMX).status_code == 404
    activity.refresh_from_db()
    assert not activity.is_done


# --- Queries stay flat -----------------------------------------------------------------------


def _grow(world, n):
    for i in range(n):
        agreement = agreement_for(
            world["adviser"], world["nav"], world["own"], partner(), title=f"Vekst {i}"
        )
        services.activity_create(
            agreement=agreement,
            user=world["adviser"],
            data={
                "kind": "meeting",
                "title": "Møte",
                "due_date": date(2026, 12, 1),
                "responsible": world["adviser"],
            },
        )


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A session's first page also asks once whether its user has TOTP (and keeps the answer
    # in the session): that is no cost of the page.
    client.get("/start/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/agreements/?scope=all", "/dashboard/", "/organisations/"])
def test_list_queries_do_not_grow_with_the_number_of_agreements(client, world, url):
    client.force_login(world["adviser"])
    _grow(world, 2)
    few = _count_queries(client, url)
    _grow(world, 8)
    # Fewer is fine: the dashboard's counts come from the cache the second time.
    assert _count_queries(client, url) <= few


def test_detail_queries_do_not_grow_with_parties_goals_and_activities(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["adviser"])
    agreement = world["agreement"]
    url = agreement.get_absolute_url()
    # One of each first, so that the baseline already pays for each kind of thing shown.
    services.agreement_update(
        agreement=agreement,
        user=world["adviser"],
        data={"title": "Start", "responsible_adviser": world["adviser"]},
        parties=[services.PartyInput(o) for o in [world["nav"], world["own"]]],
        goals=[{"text": "Mål", "target": 5, "measure": "jobs_gained"}],
    )
    services.activity_create(
        agreement=agreement,
        user=world["adviser"],
        data={
            "kind": "meeting",
            "title": "Første møte",
            "due_date": date(2026, 12, 1),
            "responsible": world["adviser"],
        },
    )
    few = _count_queries(client, url)
    services.agreement_update(
        agreement=agreement,
        user=world["adviser"],
        data={"title": "Endret", "responsible_adviser": world["adviser"]},
        parties=[
            services.PartyInput(o) for o in [world["nav"], world["own"], partner(), partner()]
        ],
        goals=[{"text": f"Mål {i}", "target": 5, "measure": "jobs_gained"} for i in range(5)],
    )
    for i in range(5):
        services.activity_create(
            agreement=agreement,
            user=world["adviser"],
            data={
                "kind": "meeting",
                "title": f"Møte {i}",
                "due_date": date(2026, 12, 1),
                "responsible": world["adviser"],
            },
        )
    with django_assert_max_num_queries(few):
        client.get(url)


@pytest.mark.parametrize(
    ("language", "written"),
    [("nb", "18. november 2020"), ("nn", "18. november 2020"), ("en", "18 November 2020")],
)
def test_dates_are_written_the_readers_way(client, language, written):
    nav, race = nav_unit(), partner()
    adviser = member_of(nav)
    agreement = agreement_for(adviser, nav, race, start_date=date(2020, 11, 18))
    client.force_login(adviser)
    client.cookies["django_language"] = language
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert written in page


# --- The edit form: rows, rules, and two people saving at once ------------------------------


def edit_url(agreement):
    return f"{agreement.get_absolute_url()}edit/"


def test_add_a_party_without_javascript_gives_a_row_that_saves(client, world):
    client.force_login(world["adviser"])
    url = edit_url(world["agreement"])
    page = client.post(url, {**form_values(client.get(url)), "add_party": "1"})
    assert 'role="alert"' not in page.content.decode()  # nothing judged yet
    values = form_values(page)
    newcomer = partner(name="Tromsø Næringsråd")
    values |= {
        "parties-2-organisation": [str(newcomer.pk)],
        "parties-2-signatories-0-name": ["Tor Tromsø"],
    }
    assert client.post(url, values).status_code == 302
    party = world["agreement"].parties.get(organisation=newcomer)
    assert [s.name for s in party.signatories.all()] == ["Tor Tromsø"]


def test_htmx_fetches_one_more_party_row_and_the_raised_count(client, world):
    client.force_login(world["adviser"])
    url = edit_url(world["agreement"])
    values = form_values(client.get(url))
    row = client.get(
        "/forms/rows/parties/", {"parties-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'name="parties-2-organisation"' in row and "__prefix__" not in row
    assert 'id="id_parties-TOTAL_FORMS" hx-swap-oob="true"' in row and 'value="3"' in row
    # What the browser has after the swap: the new row's fields, and the count raised.
    values |= form_values(f'<form class="portal-form">{row}</form>')
    newcomer = partner(name="Tromsø Næringsråd")
    values |= {
        "parties-TOTAL_FORMS": ["3"],
        "parties-2-organisation": [str(newcomer.pk)],
        "parties-2-signatories-0-name": ["Tor Tromsø"],
    }
    assert client.post(url, values).status_code == 302
    assert world["agreement"].parties.filter(organisation=newcomer).exists()


def test_rows_are_fetched_only_by_people_who_register(client, world):
    client.force_login(world["partner_staff"])
    assert client.get("/forms/rows/goals/", {"goals-TOTAL_FORMS": "1"}).status_code == 404


def test_a_wrong_focus_area_is_shown_in_its_own_checkbox_group(client, world):
    client.force_login(world["adviser"])
    response = client.post(
        "/agreements/new/", registration(world, focus_areas=["nonsense"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    group = page[page.index('<fieldset id="id_focus_areas"') :]
    group = group[: group.index("</fieldset>")]
    assert 'aria-describedby="id_focus_areas-error"' in group
    assert 'id="id_focus_areas-error"' in group and "nonsense is not one of" in group
    assert 'class="aksel-checkbox aksel-checkbox--error"' in group


@pytest.mark.parametrize(
    ("changes", "message", "beside"),
    [
        (
            {"parties-1-organisation": "__nav2__"},
            "An agreement needs at least one NAV unit and one partner among its parties.",
            'id="parties"',
        ),
        ({"end_date": "2026-01-01"}, "The end date must be after the start date.", "id_end_date"),
        (
            {"parties-1-signatories-0-signed_on": "2099-01-01"},
            "The signing date cannot be in the future.",
            "id_parties-1-signatories-0-signed_on",
        ),
    ],
)
def test_each_rule_is_told_once_beside_its_field(client, world, changes, message, beside):
    if changes.get("parties-1-organisation") == "__nav2__":
        changes = {"parties-1-organisation": nav_unit().pk}
    client.force_login(world["adviser"])
    page = client.post(
        "/agreements/new/", registration(world, **changes), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert page.count(message) == 1
    assert page.index(beside) < page.index(message)


def test_a_second_adviser_saving_a_stale_form_is_told_what_changed_and_loses_nothing(client, world):
    from django.test import Client

    agreement, url = world["agreement"], edit_url(world["agreement"])
    first, second = client, Client()
    first.force_login(world["adviser"])
    second.force_login(member_of(world["nav"]))
    mine, theirs = form_values(first.get(url)), form_values(second.get(url))

    # The first adds a party and changes the title.
    mine = form_values(first.post(url, {**mine, "add_party": "1"}))
    newcomer = partner(name="Tromsø Næringsråd")
    mine |= {"title": ["Nytt navn"], "parties-2-organisation": [str(newcomer.pk)]}
    assert first.post(url, mine).status_code == 302

    # The second, from the form opened before, changes the purpose: refused, and told why.
    theirs |= {"purpose": ["Formål skrevet av nummer to."]}
    response = second.post(url, theirs, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    page = response.content.decode()
    assert f"{world['adviser']} saved this agreement after you opened it." in page
    assert "Title: from «Nordlysrittet mot utenforskap» to «Nytt navn»" in page
    assert "added «Tromsø Næringsråd»" in page
    assert "Formål skrevet av nummer to." in page  # what they typed is still there
    agreement.refresh_from_db()
    assert agreement.title == "Nytt navn"
    assert agreement.purpose != "Formål skrevet av nummer to."
    assert agreement.parties.filter(organisation=newcomer).exists()

    # Having read it, they send the form again: it saves, and keeps the first one's changes.
    again = form_values(page)
    assert again["title"] == ["Nytt navn"]  # a field they left takes the saved value
    assert second.post(url, again).status_code == 302
    agreement.refresh_from_db()
    assert agreement.purpose == "Formål skrevet av nummer to."
    assert agreement.title == "Nytt navn"
    assert agreement.parties.filter(organisation=newcomer).exists()


def test_a_stale_form_with_a_goal_deleted_meanwhile_says_stale_not_required(client, world):
    agreement, url = world["agreement"], edit_url(world["agreement"])
    parties = [services.PartyInput(world["nav"]), services.PartyInput(world["own"])]
    data = {"title": agreement.title, "responsible_adviser": world["adviser"]}
    services.agreement_update(
        agreement=agreement,
        user=world["adviser"],
        data=data,
        parties=parties,
        goals=[{"text": "Ti jobber", "target": 10, "measure": "manual"}],
    )
    client.force_login(world["adviser"])
    theirs = form_values(client.get(url))
    services.agreement_update(  # someone else removes the goal
        agreement=Agreement.objects.get(pk=agreement.pk),
        user=world["admin"],
        data=data,
        parties=parties,
        goals=[],
    )
    theirs |= {"goals-0-text": ["Tolv jobber"], "goals-0-target": ["12"]}
    response = client.post(url, theirs, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 409
    assert "This field is required" not in page and "Select a valid choice" not in page
    assert "Goals: removed «Ti jobber, 10, " in page
    assert 'value="Tolv jobber"' in page
    assert client.post(url, form_values(page)).status_code == 302
    assert list(agreement.goals.values_list("text", "target")) == [("Tolv jobber", 12)]


def test_the_edit_form_costs_the_same_queries_with_more_parties_and_goals(client, world):
    client.force_login(world["adviser"])
    agreement = world["agreement"]

    def update(n):
        services.agreement_update(
            agreement=Agreement.objects.get(pk=agreement.pk),
            user=world["adviser"],
            data={"title": "Vekst", "responsible_adviser": world["adviser"]},
            parties=[
                services.PartyInput(world["nav"], [{"name": "Solveig"}]),
                *(services.PartyInput(partner(), [{"name": f"Nr {i}"}]) for i in range(n)),
            ],
            goals=[{"text": f"Mål {i}", "target": 5, "measure": "manual"} for i in range(n)],
        )

    update(1)
    client.get(edit_url(agreement))  # the session's one-off checks, the unread count kept
    few = _count_queries(client, edit_url(agreement))
    update(6)
    assert _count_queries(client, edit_url(agreement)) == few


def test_a_party_both_advisers_added_is_one_party_after_the_stale_form_is_sent_again(client, world):
    from django.test import Client

    agreement, url = world["agreement"], edit_url(world["agreement"])
    first, second = client, Client()
    first.force_login(world["adviser"])
    second.force_login(member_of(world["nav"]))
    newcomer = partner(name="Tromsø Næringsråd")
    opened = []
    for who in (first, second):
        values = form_values(who.post(url, {**form_values(who.get(url)), "add_party": "1"}))
        opened.append(values | {"parties-2-organisation": [str(newcomer.pk)]})
    opened[0] |= {"parties-2-signatories-0-name": ["Tor Tromsø"]}
    opened[1] |= {"parties-2-signatories-0-name": ["Tone Tromsø"]}
    assert first.post(url, opened[0]).status_code == 302
    page = second.post(url, opened[1])
    assert page.status_code == 409
    assert second.post(url, form_values(page)).status_code == 302
    party = agreement.parties.get(organisation=newcomer)
    assert sorted(s.name for s in party.signatories.all()) == ["Tone Tromsø", "Tor Tromsø"]


def test_a_goal_of_another_agreement_cannot_be_changed_through_the_form(client, world):
    foreign = world["foreign"]
    services.agreement_update(
        agreement=foreign,
        user=world["adviser"],
        data={"title": foreign.title, "responsible_adviser": world["adviser"]},
        parties=[services.PartyInput(world["nav"]), services.PartyInput(world["other"])],
        goals=[{"text": "Hemmelig mål", "target": 1, "measure": "manual"}],
    )
    goal = foreign.goals.get()
    client.force_login(world["adviser"])
    url = edit_url(world["agreement"])
    values = form_values(client.get(url))
    values |= {
        "goals-INITIAL_FORMS": ["1"],
        "goals-0-id": [str(goal.pk)],
        "goals-0-text": ["Overskrevet"],
    }
    client.post(url, values)
    goal.refresh_from_db()
    assert goal.text == "Hemmelig mål" and goal.agreement == foreign


def test_a_party_gets_a_second_signatory_with_or_without_javascript(client, world):
    client.force_login(world["adviser"])
    url = edit_url(world["agreement"])
    # Without JavaScript: the button sends the form and it comes back with one more row.
    values = form_values(
        client.post(url, {**form_values(client.get(url)), "add_signatory": "parties-1-signatories"})
    )
    values |= {
        "parties-1-signatories-0-name": ["Kari Dybvik"],
        "parties-1-signatories-1-name": ["Kjell Dybvik"],
    }
    # With htmx: one more row fetched for the first party.
    row = client.get(
        "/forms/rows/parties-0-signatories/", {"parties-0-signatories-TOTAL_FORMS": "1"}
    ).content.decode()
    assert 'name="parties-0-signatories-1-name"' in row and 'value="2"' in row
    values |= form_values(f'<form class="portal-form">{row}</form>')
    values |= {
        "parties-0-signatories-TOTAL_FORMS": ["2"],
        "parties-0-signatories-0-name": ["Solveig Strand"],
        "parties-0-signatories-1-name": ["Sander Strand"],
    }
    assert client.post(url, values).status_code == 302
    names = {
        party.organisation.name: sorted(s.name for s in party.signatories.all())
        for party in world["agreement"].parties.all()
    }
    assert names == {
        "NAV Nordland": ["Sander Strand", "Solveig Strand"],
        "Nordlysrittet AS": ["Kari Dybvik", "Kjell Dybvik"],
    }


def test_adding_a_party_row_shows_no_errors_yet(client, setting):
    client.force_login(setting["responsible"])
    response = client.post(
        "/agreements/new/",
        {
            "title": "Halvferdig",
            "parties-TOTAL_FORMS": "2",
            "parties-INITIAL_FORMS": "0",
            "parties-MIN_NUM_FORMS": "2",
            "parties-MAX_NUM_FORMS": "1000",
            "goals-TOTAL_FORMS": "1",
            "goals-INITIAL_FORMS": "0",
            "goals-MIN_NUM_FORMS": "0",
            "goals-MAX_NUM_FORMS": "1000",
            "add_party": "1",
        },
    )
    page = response.content.decode()
    assert 'name="parties-2-organisation"' in page and 'value="Halvferdig"' in page
    assert "aksel-error-message" not in page and 'role="alert"' not in page


def test_the_history_speaks_the_readers_language(client, setting):
    agreement = agreement_for(setting["responsible"], setting["nav"], setting["owner"])
    with translation.override("en"):
        services.agreement_transition(
            agreement=agreement, user=setting["responsible"], name="negotiate"
        )
    client.force_login(setting["responsible"])
    client.cookies["django_language"] = "nb"
    assert "(Start forhandling)" in client.get(agreement.get_absolute_url()).content.decode()


def test_a_successor_the_reader_cannot_see_is_not_linked(client, setting):
    agreement = setting["agreement"]
    successor = services.agreement_renew(agreement=agreement, user=setting["responsible"])
    services.agreement_update(
        agreement=successor,
        user=setting["responsible"],
        data={"responsible_adviser": setting["responsible"]},
        parties=[services.PartyInput(setting["nav"]), services.PartyInput(partner())],
    )
    client.force_login(member_of(setting["owner"]))
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert successor.reference not in page
    client.force_login(setting["responsible"])
    assert successor.reference in client.get(agreement.get_absolute_url()).content.decode()


def test_employers_have_no_organisation_pages(client, setting):
    contact = employer_contact()
    client.force_login(contact)
    own = contact.memberships.get().organisation
    assert client.get(f"/organisations/{own.pk}/").status_code == 403


def test_an_edit_form_opened_before_a_status_change_is_stale(client, world):
    """ "Mark as ended" fills in an empty end date: a form opened before it must not write
    the empty end date back."""
    adviser = world["adviser"]
    agreement = agreement_for(adviser, world["nav"], world["own"], status="active")
    url = f"{agreement.get_absolute_url()}edit/"
    client.force_login(adviser)
    opened = form_values(client.get(url))
    services.agreement_transition(agreement=agreement, user=adviser, name="end")
    response = client.post(url, opened)
    assert response.status_code == 409
    agreement.refresh_from_db()
    assert agreement.end_date is not None and agreement.status == "ended"
