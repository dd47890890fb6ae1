"""The start scripts the image and NAIS run: each starts its process as production does."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.portal.conftest import free_port
from tests.portal.test_settings import NOT_INHERITED

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def environment(**extra) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return clean | {"PYTHON": sys.executable} | extra


def wait_for(predicate, process, output: Path, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, output.read_text()
        if predicate():
            return
        time.sleep(0.2)  # the process is still starting
    raise AssertionError(output.read_text())


def test_migrate_migrates_a_new_database_and_is_safe_to_run_twice(tmp_path):
    env = environment(DATABASE_URL=f"sqlite:///{tmp_path}/portal.sqlite3")
    first = subprocess.run(
        [SCRIPTS / "migrate"], env=env, capture_output=True, text=True, timeout=300
    )
    assert first.returncode == 0, first.stderr
    assert "Applying accounts.0001_initial... OK" in first.stdout
    second = subprocess.run(
        [SCRIPTS / "migrate"], env=env, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, second.stderr
    assert "No migrations to apply." in second.stdout


@pytest.mark.redis
def test_a_worker_runs_tasks_and_counts_them_on_its_metrics_port(tmp_path):
    from portal.celery import app

    port = free_port()
    output = tmp_path / "worker.log"
    with output.open("w") as log:
        worker = subprocess.Popen(
            [SCRIPTS / "start-worker", "--concurrency=1", "--queues=scripts-test"],
            env=environment(REDIS_URL=settings.REDIS_URL, METRICS_PORT=str(port)),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:

        def metrics():
            try:
                return requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
            except requests.ConnectionError:
                return ""

        wait_for(lambda: "portal_db_queries_total" in metrics(), worker, output)
        # Through the broker to the worker: tests otherwise run tasks in place.
        app.conf.task_always_eager = False
        app.send_task("celery.accumulate", args=[1], queue="scripts-test")
        counted = 'portal_celery_tasks_total{outcome="success",task="celery.accumulate"} 1.0'
        wait_for(lambda: counted in metrics(), worker, output)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_beat_starts_with_its_schedule_in_a_temporary_folder(tmp_path):
    output = tmp_path / "beat.log"
    with output.open("w") as log:
        beat = subprocess.Popen(
            [SCRIPTS / "start-beat"], env=environment(), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for(lambda: "beat: Starting..." in output.read_text(), beat, output)
    finally:
        beat.terminate()
        beat.wait(timeout=30)
