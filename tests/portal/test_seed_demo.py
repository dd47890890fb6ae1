import pytest
from django.core.management import CommandError, call_command

from portal import demo
from portal.accounts.models import Membership, Organisation, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_account_per_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert (
        roles
        | {
            "radgiver@example.no": Role.NAV_ADVISER,
            "partner@example.no": Role.PARTNER_STAFF,
            "arbeidsgiver@example.no": Role.EMPLOYER_CONTACT,
        }
        == roles
    )
    assert User.objects.get(email="admin@example.no").is_superuser
    assert User.objects.get(email="radgiver@example.no").check_password(demo.PASSWORD)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {"nav_unit", "partner", "employer"}


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    def counts():
        return [model.objects.count() for model in (User, Organisation, Membership)]

    before = counts()
    call_command("seed_demo")
    assert counts() == before


def test_seed_demo_if_empty_leaves_existing_data_alone(settings):
    settings.DEBUG = True
    User.objects.create_user(email="ekte@nav.no", password="x")
    call_command("seed_demo", "--if-empty")
    assert not User.objects.filter(email="admin@example.no").exists()


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_adds_agreements_in_every_state(settings):
    from partnerships.models import Agreement

    settings.DEBUG = True
    call_command("seed_demo")
    assert set(Agreement.objects.values_list("status", flat=True)) == set(Agreement.Status.values)
    adviser = User.objects.get(email="radgiver@example.no")
    assert Agreement.objects.filter(responsible_adviser=adviser).count() >= 5
    northern = Agreement.objects.get(title__startswith="Nordlysrittet")
    parties = {p.organisation.name: p for p in northern.parties.all()}
    assert set(parties) == {"NAV Nordland", "NAV Troms og Finnmark", "Nordlysrittet AS"}
    titles = {s.title for p in parties.values() for s in p.signatories.all()}
    assert titles == {"Direktør", "Daglig leder"}
    assert northern.start_date.year == 2020
    youth = Agreement.objects.get(
        parties__organisation__name="Næringsforum Gardermoen", programmes__isnull=False
    )
    assert "youth_employment" in youth.focus_areas


def test_seed_demo_gives_every_account_but_the_employers_two_factor_login(settings, client):
    from allauth.mfa.models import Authenticator

    from tests.factories import totp_code

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    enrolled = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    for person in demo.PEOPLE:
        assert (person[0] in enrolled) == (person[0] != "arbeidsgiver@example.no")
    assert "redaktor@example.no" in enrolled
    assert Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).count() == len(
        enrolled
    )

    response = client.post(
        "/accounts/login/", {"login": "radgiver@example.no", "password": demo.PASSWORD}
    )
    response = client.post(response.url, {"code": totp_code("JBSWY3DPEHPK3PXP")})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
