"""The move to sessions with places keeps the programmes, sessions and sign-ups there were."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

OLD = ("programmes", "0003_programme_news_articles")
NEW = ("programmes", "0007_history_results_and_rules")


def state_at(graph, target):
    """Every app at its newest migration that does not need programmes past target."""
    later, todo = set(), [c for c in graph.node_map[target].children if c.key[0] == "programmes"]
    while todo:
        node = todo.pop()
        if node.key not in later:
            later.add(node.key)
            todo.extend(node.children)
    apps = {app for app, _ in graph.nodes}
    return [max(n for n in graph.nodes if n[0] == app and n not in later) for app in apps]


def test_old_programmes_keep_their_agreement_sessions_and_sign_ups():
    executor = MigrationExecutor(connection)
    # Programmes just before the change, the other apps as far as that allows.
    graph = executor.loader.graph
    BEFORE, AFTER = state_at(graph, OLD), state_at(graph, NEW)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organisation = old.get_model("accounts", "Organisation")
    User = old.get_model("accounts", "User")
    Agreement = old.get_model("partnerships", "Agreement")
    AgreementParty = old.get_model("partnerships", "AgreementParty")
    Programme = old.get_model("programmes", "Programme")
    ProgrammeSession = old.get_model("programmes", "ProgrammeSession")
    SignUp = old.get_model("programmes", "SignUp")

    adviser = User.objects.create(email="r@example.no")
    nav = Organisation.objects.create(name="NAV Nord", kind="nav_unit", org_number="910000004")
    race = Organisation.objects.create(name="Rittet AS", kind="partner", org_number="910000047")
    firm = Organisation.objects.create(name="Hotell AS", kind="employer", org_number="910000055")
    agreement = Agreement.objects.create(
        reference="SA-2026-0001",
        reference_year=2026,
        reference_number=1,
        title="Avtale",
        purpose="x",
        start_date=date(2026, 1, 1),
        responsible_adviser=adviser,
    )
    AgreementParty.objects.create(agreement=agreement, organisation=nav)
    AgreementParty.objects.create(agreement=agreement, organisation=race)
    with_session = Programme.objects.create(
        agreement=agreement, title="JobbStart", start_date=date(2026, 2, 1)
    )
    starts = timezone.now() + timedelta(days=3)
    ProgrammeSession.objects.create(
        programme=with_session, title="Messe", starts_at=starts, location="Bodø"
    )
    SignUp.objects.create(programme=with_session, employer=firm, status="confirmed")
    without = Programme.objects.create(
        agreement=agreement, title="JobbStart", start_date=date(2026, 3, 1)
    )
    SignUp.objects.create(programme=without, employer=firm, status="pending")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Programme = new.get_model("programmes", "Programme")
    SignUp = new.get_model("programmes", "SignUp")

    first, second = Programme.objects.order_by("start_date")
    assert (first.slug, second.slug) == ("jobbstart", "jobbstart-2")
    assert list(first.agreements.values_list("reference", flat=True)) == ["SA-2026-0001"]
    assert set(first.organisers.values_list("name", flat=True)) == {"NAV Nord", "Rittet AS"}
    session = first.sessions.get()
    assert (session.address, session.ends_at - session.starts_at) == ("Bodø", timedelta(hours=2))
    kept = SignUp.objects.get(session__programme=first)
    assert (kept.status, kept.session_id, kept.employer_id) == ("confirmed", session.pk, firm.pk)
    made = SignUp.objects.get(session__programme=second)
    assert made.session.title == "JobbStart" and made.status == "pending"

    # Back to the newest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
