"""Every admin page renders for each role that may use it, in bokmål, nynorsk and English,
and in Norwegian no string on it (the portal's, or a library's) lacks a translation."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

pytestmark = pytest.mark.django_db

NORWEGIAN = ("nb", "nn")


@pytest.fixture
def untranslated(monkeypatch):
    """The msgids looked up in bokmål or nynorsk that the language's catalogues lack (a
    nynorsk miss that bokmål has still counts: it would show in bokmål)."""
    misses = set()
    # Django's get_available_languages tag translates the already translated names of
    # settings.LANGUAGES a second time: those lookups show nothing new.
    language_names = set()
    for language in NORWEGIAN:
        with translation.override(language):
            language_names |= {str(name) for _code, name in settings.LANGUAGES}
    gettext, ngettext = DjangoTranslation.gettext, DjangoTranslation.ngettext

    def checked_gettext(self, message):
        if (
            self.language() in NORWEGIAN
            and message not in self._catalog
            and message not in language_names
        ):
            misses.add((self.language(), message))
        return gettext(self, message)

    def checked_ngettext(self, singular, plural, number):
        if self.language() in NORWEGIAN and (singular, 0) not in self._catalog:
            misses.add((self.language(), singular))
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(DjangoTranslation, "gettext", checked_gettext)
    monkeypatch.setattr(DjangoTranslation, "ngettext", checked_ngettext)
    return misses


def admin_pages(client):
    """The index, then each page the user's index links to: the changelists, the add pages,
    the first object's change and history pages."""
    index = client.get("/admin/")
    assert index.status_code == 200
    pages = []
    for app in index.context["app_list"]:
        for model in app["models"]:
            pages.append(model["admin_url"])
            if model.get("add_url"):
                pages.append(model["add_url"])
            changelist = client.get(model["admin_url"])
            first = changelist.context["cl"].result_list[:1]
            if first:
                opts = first[0]._meta
                pk = first[0].pk
                pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]))
                pages.append(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[pk])
                )
    return pages


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("role", ["admin", "adviser", "partner", "editor"])
def test_every_admin_page_renders_in_each_language_with_nothing_untranslated(
    client, world, role, language, untranslated
):
    client.force_login(world[role])
    client.cookies["django_language"] = language
    pages = admin_pages(client)
    assert pages
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
    assert sorted(untranslated) == []


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "nb",
            ["NAVs partnerportal – administrasjon", "Legg til samling", "Søk i samlinger", "Utfør"],
        ),
        ("en", ["NAV partnership portal", "Add session", "Search sessions", "Run"]),
    ],
)
def test_the_session_pages_speak_the_language(client, world, language, texts):
    client.force_login(world["partner"])
    client.cookies["django_language"] = language
    page = client.get("/admin/programmes/session/").content.decode()
    for text in texts:
        assert text in page
