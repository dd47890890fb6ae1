"""Every form that posts carries a CSRF token, also forms drawn by includes with "only"."""

import re

import pytest

from partnerships.models import Agreement
from portal import demo
from portal.accounts.models import User
from programmes.models import Programme

pytestmark = pytest.mark.django_db

FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)


@pytest.fixture
def pages():
    demo.seed()
    agreement = Agreement.objects.get(title__startswith="Strategisk")
    return [
        "/dashboard/",
        "/agreements/new/",
        agreement.get_absolute_url(),
        f"{agreement.get_absolute_url()}edit/",
        *[f"{p.get_absolute_url()}manage/" for p in Programme.objects.all()],
        "/programmes/new/",
        "/organisations/new/",
        "/news/",
        "/",
    ]


def test_every_post_form_has_a_token(client, pages):
    client.force_login(User.objects.get(email="radgiver@example.no"))
    for url in pages:
        page = client.get(url).content.decode()
        forms = FORM.findall(page)
        assert forms, url
        for form in forms:
            assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', form), (url, form[:200])
