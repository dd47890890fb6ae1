"""The big lists' search and date sorts (portal.search.admin_search, IndexedSearch): they find
what Django's search found, by each searched field, and on PostgreSQL indexes answer them."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.models import Activity, AgreementParty
from portal.reminders.models import Reminder
from programmes.models import SignUp
from tests.factories import OrganisationFactory
from tests.programmes.factories import signup_row

pytestmark = pytest.mark.django_db


def listed(client, url, **params) -> list:
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def rows(world):
    """A row of each big list that only one value of each searched field names."""
    employer = OrganisationFactory(kind="employer", name="Fjordbygg AS")
    signup = signup_row(
        world["own_session"],  # of "Vårt program"
        employer,
        contact_name="Kari Solberg",
        contact_email="post@fjellheim.example.no",
    )
    activity = Activity.objects.create(
        agreement=world["own_agreement"],  # "Vår avtale"
        kind="meeting",
        title="Havbruksmøte",
        due_date=date(2027, 3, 1),
        responsible=world["adviser"],
    )
    Activity.objects.create(
        agreement=world["other_agreement"],
        kind="meeting",
        title="Oppfølging",
        due_date=date(2027, 2, 1),
        responsible=world["adviser"],
    )
    reminder = Reminder.objects.create(
        key="agreement_ending:lofoten:30",
        rule="agreement_ending",
        category="agreements",
        email="torild@tromso.example.no",
        subject="Avtalen om sjømat slutter",
        status=Reminder.Status.SENT,
    )
    Reminder.objects.create(
        key="agreement_ending:other:30",
        rule="agreement_ending",
        category="agreements",
        email="kari@bedrift.example.no",
        subject="Avtalen slutter",
        status=Reminder.Status.SENT,
        not_before=timezone.now() + timedelta(days=1),
    )
    return {"signup": signup, "activity": activity, "reminder": reminder}


@pytest.mark.parametrize(
    "term",
    [
        "FJORDBYGG",  # the employer's name, its case ignored
        "solberg",  # the contact's name
        "post@fjellheim",  # the contact's e-mail
        "fjordbygg solberg",  # each word in a field of its own
        '"kari solberg"',  # a quoted phrase, as one
    ],
)
def test_a_signup_is_found_by_each_searched_field(client, world, rows, term):
    client.force_login(world["admin"])
    assert listed(client, "/admin/programmes/signup/", q=term) == [rows["signup"]]


def test_a_signup_is_found_by_its_programme_and_not_by_half_a_match(client, world, rows):
    client.force_login(world["admin"])
    by_programme = listed(client, "/admin/programmes/signup/", q="vårt")
    assert by_programme == [rows["signup"], world["own_signup"]]
    assert listed(client, "/admin/programmes/signup/", q="fjordbygg deres") == []
    assert listed(client, "/admin/programmes/signup/", q='"solberg kari"') == []


def test_a_name_with_norwegian_letters_is_found_as_written(client, world, rows):
    """On SQLite, whose LOWER() leaves Ø as it is, Django's own search answers."""
    rows["signup"].employer.name = "Østfold Bygg AS"
    rows["signup"].employer.save()
    client.force_login(world["admin"])
    assert listed(client, "/admin/programmes/signup/", q="Østfold") == [rows["signup"]]


def test_a_word_in_more_related_rows_than_are_read_is_asked_as_a_subquery(
    client, world, rows, monkeypatch
):
    """Past MOST_IDS related rows, their ids are not read into the query; the search finds
    the same."""
    from portal import search

    monkeypatch.setattr(search, "MOST_IDS", 0)
    client.force_login(world["admin"])
    assert listed(client, "/admin/programmes/signup/", q="fjordbygg") == [rows["signup"]]
    assert listed(client, "/admin/partnerships/activity/", q="vår") == [rows["activity"]]


def test_partner_staff_search_only_the_signups_they_manage(client, world, rows):
    world["other_signup"].contact_name = "Kari Solberg"
    world["other_signup"].save()
    client.force_login(world["partner"])
    found = listed(client, "/admin/programmes/signup/", q="solberg")
    assert world["other_signup"] not in found
    assert rows["signup"] in found


@pytest.mark.parametrize("field", ["title", "reference", "agreement title"])
def test_an_activity_is_found_by_each_searched_field(client, world, rows, field):
    term = {
        "title": "HAVBRUK",
        "reference": world["own_agreement"].reference,
        "agreement title": "vår",
    }
    client.force_login(world["admin"])
    assert listed(client, "/admin/partnerships/activity/", q=term[field]) == [rows["activity"]]


@pytest.mark.parametrize("field", ["organisation", "reference", "agreement title"])
def test_a_party_is_found_by_each_searched_field(client, world, field):
    own = world["own_agreement"]
    term = {"organisation": "EGET", "reference": own.reference, "agreement title": "vår avtale"}
    expected = {
        "organisation": [own.parties.get(organisation=world["own"])],
        "reference": list(own.parties.order_by("-pk")),
        "agreement title": list(own.parties.order_by("-pk")),
    }
    client.force_login(world["admin"])
    found = listed(client, "/admin/partnerships/agreementparty/", q=term[field])
    assert found == expected[field]


@pytest.mark.parametrize("term", ["TORILD@", "lofoten", "sjømat"])
def test_a_reminder_is_found_by_its_email_key_and_subject(client, world, rows, term):
    client.force_login(world["admin"])
    assert listed(client, "/admin/reminders/reminder/", q=term) == [rows["reminder"]]


def test_the_date_headers_sort_by_the_date_both_ways(client, world, rows):
    client.force_login(world["admin"])
    url = "/admin/partnerships/activity/"
    due = [a.due_date for a in listed(client, url, o="4")]  # the due date, first click
    assert due == sorted(due) and len(due) == 2
    assert [a.due_date for a in listed(client, url, o="-4")] == sorted(due, reverse=True)
    signups = listed(client, "/admin/programmes/signup/", o="6")
    assert [s.created_at for s in signups] == sorted(s.created_at for s in signups)
    reminders = listed(client, "/admin/reminders/reminder/", o="-6")
    assert [r.not_before for r in reminders] == sorted(
        (r.not_before for r in reminders), reverse=True
    )


BIG_TABLES = [
    "programmes_signup",
    "accounts_organisation",
    "partnerships_agreement ",
    "partnerships_activity",
    "partnerships_agreementparty",
    "reminders_reminder",
]


def plans(queries) -> list[str]:
    """The plans of the queries, as PostgreSQL would run them had it no sequential scan."""
    with connection.cursor() as cursor:
        # Statistics of this test's rows, not of what tests before it left (the plan
        # otherwise depends on the order the tests run in).
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        found = []
        for query in queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "term", "indexes"),
    [
        (
            "/admin/programmes/signup/",
            "solberg",
            ["signup_contact_trgm", "organisation_text_trgm", "programmes_signup_employer_id"],
        ),
        (
            "/admin/partnerships/activity/",
            "havbruk",
            ["activity_title_trgm", "agreement_text_trgm", "partnerships_activity_agreement_id"],
        ),
        (
            "/admin/partnerships/agreementparty/",
            "eget",
            ["organisation_text_trgm", "agreement_text_trgm", "agreementparty_organisation_id"],
        ),
        ("/admin/reminders/reminder/", "lofoten", ["reminder_search_trgm"]),
    ],
)
def test_each_search_is_answered_by_indexes(client, world, rows, url, term, indexes):
    """No big table of a search is read row by row: the related rows' ids are found through
    their search text's index, then the list's rows through their own and the keys'."""
    client.force_login(world["admin"])
    client.get(url, {"q": term})
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"q": term})
    searched = [q for q in queries.captured_queries if "LIKE" in q["sql"] or "ANY(" in q["sql"]]
    plan = "\n".join(plans(searched))
    for table in BIG_TABLES:  # (a programme's title is read from the 300 programmes)
        assert f"Seq Scan on {table}" not in plan, plan
    for index in indexes:
        assert index in plan, plan


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model", "order", "index"),
    [
        (SignUp, ["created_at", "-pk"], "signup_created"),
        (SignUp, ["-created_at", "-pk"], "signup_created"),
        (Activity, ["due_date", "-pk"], "activity_due"),
        (Reminder, ["not_before", "-pk"], "reminder_not_before"),
        (Reminder, ["-sent_at", "-pk"], "reminder_sent_at"),
    ],
)
def test_a_date_sort_reads_the_first_page_along_an_index(world, rows, model, order, index):
    """What the list asks for a header's sort (the column, then the id): the first page
    along the date's index, not every row sorted."""
    plan = plans([{"sql": str(model.objects.order_by(*order)[:100].query)}])[0]
    assert index in plan, plan


def test_a_party_search_lists_no_party_twice(client, world):
    client.force_login(world["admin"])
    found = listed(client, "/admin/partnerships/agreementparty/", q="avtale")
    assert len(found) == len(set(found)) == AgreementParty.objects.count()
