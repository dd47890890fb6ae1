"""Bokmål first, nynorsk and English: every catalogue complete, every page in each language."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.factories import adviser

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po")) + sorted(
    Path(settings.BASE_DIR, "portal/accounts/allauth_locale").glob("*/LC_MESSAGES/django.po")
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_there_is_a_catalogue_for_each_language():
    langs = {path.parts[-3] for path in CATALOGUES}
    assert {"nb", "nn", "en"} <= langs


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-5]}-{p.parts[-3]}")
def test_catalogue_is_complete_and_keeps_placeholders(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not untranslated
    assert not catalogue.fuzzy_entries()
    for entry in catalogue.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid
            )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "log_out"),
    [("nb", "Oversikt", "Logg ut"), ("nn", "Oversikt", "Logg ut"), ("en", "Dashboard", "Log out")],
)
def test_dashboard_speaks_the_chosen_language(client, language, heading, log_out):
    client.force_login(adviser())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/dashboard/").content.decode()
    assert f'<html lang="{language}">' in page
    assert heading in page
    assert log_out in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nb", "Glemt ditt passord?"),
        ("nn", "Har du gløymt passordet?"),
        ("en", "Forgot your password?"),
    ],
)
def test_allauth_pages_speak_every_language_including_nynorsk(client, language, text):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert text in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_bokmal_is_the_default_without_a_preference(client):
    page = client.get("/").content.decode()
    assert '<html lang="nb">' in page
    assert "Sammen åpner vi dører til arbeidslivet" in page
