"""The load run's plan (scripts/load/run): its sessions are logged in, and its employers'
sign-ups are counted afterwards."""

import json

import pytest
from django.core.management import call_command

from portal.accounts.models import User
from programmes.models import SignUp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo")
    settings.DEBUG = False


def test_the_plan_logs_each_role_in_and_names_pages_that_answer(client, tmp_path):
    out = tmp_path / "plan.json"
    call_command("load_plan", "--employers", "3", "--out", str(out))
    plan = json.loads(out.read_text())

    client.cookies[plan["cookie"]] = plan["adviser"]
    assert client.get("/start/").headers["Location"] == "/dashboard/"  # the logged-in floor
    assert client.get("/dashboard/").status_code == 200
    assert client.get(f"/agreements/{plan['agreements'][0]}/").status_code == 200
    assert client.get(f"/organisations/{plan['unit']}/").status_code == 200
    client.cookies[plan["cookie"]] = plan["employers"][0]
    assert client.get("/programmes/my-signups/").status_code == 200
    assert plan["programmes"]
    assert client.get(f"/programmes/{plan['programmes'][0]}/sign-up/").status_code == 200
    assert client.get("/ping/").content.endswith(b"<p>ok</p>")


def test_count_says_how_many_sign_ups_the_load_employers_made(tmp_path, capsys):
    call_command("load_plan", "--employers", "1", "--out", str(tmp_path / "plan.json"))
    employer = User.objects.get(email="last-arbeidsgiver-0@example.no")
    SignUp.objects.filter(pk=SignUp.objects.first().pk).update(signed_up_by=employer)
    capsys.readouterr()
    call_command("load_plan", "--count")
    assert capsys.readouterr().out.strip() == "sign-ups by the load run's employers: 1"
