"""The benchmark command keeps working as the models change (its figures are in the README)."""

import pytest
from django.core.management import call_command

from partnerships.models import Agreement

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_benchmark_measures_every_page_and_leaves_nothing_behind(capsys, settings):
    settings.DEBUG = True  # it refuses to write its test data otherwise
    call_command("benchmark_workspace", agreements=30, repeat=1)
    out = capsys.readouterr().out
    for page in ("dashboard", "agreement list", "list, typo", "search page", "export xlsx"):
        assert page in out
    assert not Agreement.objects.exists()  # it rolls its world back
