"""portal.search.AnyOf: "field = ANY(ARRAY(subquery))" on PostgreSQL, "field IN (subquery)"
elsewhere; either way every row of the subquery counts."""

import pytest
from django.db import connection
from django.db.models import Q
from django.db.utils import ConnectionHandler

from portal.accounts.models import Organisation
from portal.search import AnyOf
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_any_of_keeps_every_row_its_subquery_finds():
    wanted = [OrganisationFactory(name=f"Treff {n}") for n in range(3)]
    OrganisationFactory(name="Bom")
    ids = Organisation.objects.filter(name__startswith="Treff").values("pk")
    found = Organisation.objects.filter(Q(AnyOf("pk", ids)) | Q(name="Ingen"))
    assert set(found) == set(wanted), connection.vendor


def test_on_sqlite_it_is_an_in_over_the_whole_subquery():
    """The development default: "IN ((SELECT ...))" would compare with the first row only."""
    sqlite = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )["default"]
    ids = Organisation.objects.filter(name__startswith="Treff").values("pk")
    sql, _params = (
        Organisation.objects.filter(AnyOf("pk", ids)).query.get_compiler(connection=sqlite).as_sql()
    )
    assert "IN (SELECT" in sql and "IN ((SELECT" not in sql
