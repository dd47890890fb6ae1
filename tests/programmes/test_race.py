"""Two employers racing for the last place, with real concurrent transactions on PostgreSQL."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from programmes.models import Session, SignUp
from tests.programmes.factories import SIGNUP_DATA, company, programme_for, session_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_thread(target):
    """Run target in a thread with its own database connection; return its outcome."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as error:  # handed to the test thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _wait_until_blocked_on_a_lock(attempts=500):
    """Poll PostgreSQL until another backend waits for a row lock (bounded, no fixed sleep)."""
    with connection.cursor() as cursor:
        for _ in range(attempts):
            # Inside a transaction PostgreSQL keeps one snapshot of the statistics: drop it.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)
    return False


def test_the_last_place_goes_to_one_employer_and_the_other_waits():
    from programmes import services

    session = session_in(programme_for(), capacity=1)
    (first_user, first), (second_user, second) = company(), company()

    # The first employer's transaction holds the session while it takes the place...
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        thread, outcome = _in_thread(
            lambda: (
                services.signup_create(
                    user=second_user, employer=second, sessions=[session], data=SIGNUP_DATA
                )[0].status
            )
        )
        # ...so the second employer's sign-up must wait for it, not count places beside it.
        blocked = _wait_until_blocked_on_a_lock()
        if not blocked:
            thread.join(timeout=5)
        assert blocked, f"the second sign-up did not wait for the lock: {outcome}"
        SignUp.objects.create(
            session=session,
            employer=first,
            signed_up_by=first_user,
            status=SignUp.Status.PENDING,
            **SIGNUP_DATA,
        )
    thread.join(timeout=30)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["value"] == SignUp.Status.WAITING
    statuses = sorted(SignUp.objects.values_list("status", flat=True))
    assert statuses == [SignUp.Status.PENDING, SignUp.Status.WAITING]


def test_many_employers_at_once_never_overfill_a_session():
    from programmes import services

    session = session_in(programme_for(), capacity=3)
    companies = [company() for _ in range(8)]
    start = threading.Barrier(len(companies))

    def sign_up(user, employer):
        start.wait(timeout=30)
        return services.signup_create(
            user=user, employer=employer, sessions=[session], data=SIGNUP_DATA
        )[0].status

    runs = [_in_thread(lambda u=u, e=e: sign_up(u, e)) for u, e in companies]
    for thread, _outcome in runs:
        thread.join(timeout=60)
    assert all("error" not in outcome for _thread, outcome in runs)
    statuses = [outcome["value"] for _thread, outcome in runs]
    assert statuses.count(SignUp.Status.PENDING) == 3
    assert statuses.count(SignUp.Status.WAITING) == 5
