"""Norwegian search: a golden set of queries a NAV adviser types, and what they must find."""

import pytest

from partnerships import search
from partnerships.models import Agreement
from portal.accounts.models import Organisation
from tests.partnerships.factories import agreement_for, member_of, nav_unit, partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    nav = nav_unit(name="NAV Øvre Romerike")
    forum = partner(
        name="Næringsforum Gardermoen",
        description="Forening for bedrifter rundt flyplassen.",
    )
    race = partner(name="Nordlysrittet AS", description="Sykkelritt i Nord-Norge.")
    adviser = member_of(nav)
    agreement_for(
        adviser,
        nav,
        forum,
        title="Samarbeidsavtale om unge arbeidssøkere",
        purpose="Arbeidsgiverne i regionen skal møte ungdommen og tilby praksisplasser.",
    )
    agreement_for(
        adviser,
        nav,
        race,
        title="Rittet som plattform",
        purpose="Rekruttering av arbeidsgivere til inkluderingsdugnaden. Avtalene fornyes årlig.",
    )
    agreement_for(
        adviser,
        nav,
        race,
        title="Frivillige i arrangementsstaben",
        purpose="Sommerjobber for studenter.",
    )


GOLDEN = [
    # (query, agreement titles it must find, titles it must not find)
    ("arbeidsgiver", {"Samarbeidsavtale om unge arbeidssøkere", "Rittet som plattform"}, set()),
    (
        "avtale",
        {"Samarbeidsavtale om unge arbeidssøkere", "Rittet som plattform"},
        {"Frivillige i arrangementsstaben"},
    ),
    ("avtalene", {"Rittet som plattform"}, set()),
    ("inkludering", {"Rittet som plattform"}, {"Frivillige i arrangementsstaben"}),
    ("rekrutering", {"Rittet som plattform"}, set()),  # typo
    ("ungdom", {"Samarbeidsavtale om unge arbeidssøkere"}, set()),
    ("sommerjobb", {"Frivillige i arrangementsstaben"}, set()),
    ("nordlysrittet", {"Rittet som plattform", "Frivillige i arrangementsstaben"}, set()),
    ("gardermon", {"Samarbeidsavtale om unge arbeidssøkere"}, set()),  # typo in a party's name
    ("unge arbeidssøkere", {"Samarbeidsavtale om unge arbeidssøkere"}, {"Rittet som plattform"}),
]


def found(query):
    return set(
        search.agreements_search(Agreement.objects.all(), query).values_list("title", flat=True)
    )


@pytest.mark.postgres
@pytest.mark.parametrize(("query", "must", "must_not"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_queries_on_postgresql(corpus, query, must, must_not):
    hits = found(query)
    assert must <= hits, f"{query!r} missed {must - hits}"
    assert not (must_not & hits), f"{query!r} wrongly found {must_not & hits}"


@pytest.mark.postgres
def test_the_closest_title_ranks_first(corpus):
    ranked = list(
        search.agreements_search(Agreement.objects.all(), "samarbeidsavtale").values_list(
            "title", flat=True
        )
    )
    assert ranked[0] == "Samarbeidsavtale om unge arbeidssøkere"


@pytest.mark.postgres
def test_organisations_are_found_by_typo_and_compound_part(corpus):
    def names(query):
        return set(
            search.organisations_search(Organisation.objects.all(), query).values_list(
                "name", flat=True
            )
        )

    assert "Nordlysrittet AS" in names("nordlysritet")
    assert "Nordlysrittet AS" in names("sykkelritt")
    assert "Næringsforum Gardermoen" in names("forum")
    assert "Næringsforum Gardermoen" in names("flyplass")


@pytest.mark.postgres
def test_a_typo_is_found_through_the_words_in_use(corpus):
    # The database keeps the words of every agreement and organisation written.
    assert search.near_words(["rekrutering"]) == {"rekrutering": ["rekruttering"]}
    assert "Rittet som plattform" in found("rekrutering")
    adviser = member_of(nav := nav_unit(name="NAV Bodø"))
    agreement_for(adviser, nav, partner(name="Nordland fylkeskommune"), title="Sommer i Bodø")
    # Too far from "Nordland" (word similarity 0.625) to be a typo of it.
    assert found("nordlys") == {"Rittet som plattform", "Frivillige i arrangementsstaben"}


@pytest.mark.postgres
def test_a_word_a_new_agreement_brings_is_found_by_typo(corpus):
    assert found("kompetansehevng") == set()
    nav = Organisation.objects.get(name="NAV Øvre Romerike")
    agreement_for(
        member_of(nav),
        nav,
        Organisation.objects.get(name="Nordlysrittet AS"),
        title="Sveisere i arbeid",
        purpose="Kompetansehevingsprogram for sveisere.",
    )
    assert found("kompetansehevng") == {"Sveisere i arbeid"}


@pytest.mark.postgres
def test_a_word_a_renamed_organisation_brings_is_found_by_typo(corpus):
    race = Organisation.objects.get(name="Nordlysrittet AS")
    race.name = "Fjellvettklubben"
    race.save()
    found_organisations = search.organisations_search(Organisation.objects.all(), "fjelvettklubben")
    assert list(found_organisations.values_list("name", flat=True)) == ["Fjellvettklubben"]


@pytest.mark.postgres
def test_the_words_near_a_typo_are_read_through_the_word_index(corpus):
    """In a vocabulary of thousands of words the trigram index answers: reading every word
    costs 7.6 µs a word (the planner, which thinks it cheap, does so where it can)."""
    import random

    from django.db import connection

    from partnerships.models import SearchWord

    rng = random.Random(1)
    letters = "abcdefghijklmnoprstuvyæøå"
    SearchWord.objects.bulk_create(
        [SearchWord(word="".join(rng.choices(letters, k=12))) for _ in range(5000)],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partnerships_searchword")
        cursor.execute("EXPLAIN " + search.NEAR_SQL, ["rekrutering"] * 3)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "searchword_trgm" in plan, plan
    assert search.near_words(["rekrutering"]) == {"rekrutering": ["rekruttering"]}


def test_the_words_as_written_are_found_with_or_without_the_typo_way(corpus):
    """SQLite, the development default, has no typo way (no near words); on either database
    the words as written are found."""
    from django.db import connection

    assert found("rekruttering") == {"Rittet som plattform"}
    if connection.vendor == "sqlite":
        assert search.near_words(["rekrutering"]) == {}


@pytest.mark.postgres
def test_the_gin_indexes_come_from_the_models_meta():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s OR indexname LIKE %s",
            ["%_vector_gin", "%_text_trgm"],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "agreement_vector_gin",
        "agreement_text_trgm",
        "organisation_vector_gin",
        "organisation_text_trgm",
    }


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["avtale", "rekrutering", "arbeidsgiver", "gardermon"])
def test_every_way_of_matching_can_use_an_index(corpus, query):
    """Substring, typo, stemmer and party: indexed conditions, so no row is read to search.

    With sequential scans priced out, the planner shows whether an index can answer each
    condition; at 20,000 agreements it then chooses the indexes itself (the benchmark).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    # In no order, as search reads its matches (the default order has an index of its own).
    plan = search.agreements_matching(Agreement.objects.all(), query).order_by().explain()
    assert "Seq Scan on partnerships_agreement" not in plan, plan
    assert "Seq Scan on accounts_organisation" not in plan, plan
    for index in ("agreement_text_trgm", "agreement_vector_gin", "organisation_text_trgm"):
        assert index in plan, plan


def test_a_renamed_agreement_is_found_by_its_new_title_only(corpus):
    agreement = Agreement.objects.get(title="Frivillige i arrangementsstaben")
    agreement.title = "Frivillige i sekretariatet"
    agreement.save()
    assert "Frivillige i sekretariatet" in found("sekretariatet")
    assert found("arrangementsstaben") == set()


def test_the_migrations_import_no_live_search_code():
    from pathlib import Path

    import partnerships
    import portal.accounts

    for app in (partnerships, portal.accounts):
        for migration in (Path(app.__file__).parent / "migrations").glob("0*.py"):
            text = migration.read_text()
            assert "from partnerships.search import" not in text, migration
            # Indexes are in Meta.indexes, where Django's migration state sees them.
            assert "add_index(" not in text, migration


def test_a_plain_word_is_found_on_any_database(corpus):
    # PostgreSQL ranks it; SQLite falls back to a substring match: both must find it.
    assert "Rittet som plattform" in found("inkludering")


@pytest.mark.parametrize("query", ["", "a", "a'b", "& | !"])
def test_a_query_without_words_finds_nothing(corpus, query):
    assert found(query) == set()


def test_query_words_never_reach_the_parser_raw():
    assert search.terms_of("avtale & !x | 'drop' :* ø") == ["avtale", "drop"]


@pytest.mark.postgres
def test_the_search_page_looks_a_typo_up_once_for_agreements_and_organisations(client, corpus):
    """The words in use near a typo are asked for once, and both lists use them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(member_of(Organisation.objects.get(name="NAV Øvre Romerike")))
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/search/?q=nordlysritet").content.decode()
    assert "Rittet som plattform" in page  # an agreement of the party, found by the typo
    assert ">Nordlysrittet AS</a>" in page  # the organisation, by the same near word
    asked = [q["sql"] for q in queries.captured_queries if "partnerships_searchword" in q["sql"]]
    assert len(asked) == 1
