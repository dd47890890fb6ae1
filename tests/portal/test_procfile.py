"""The Procfile: the processes `bash .ci/setup run` starts with honcho, and production runs."""

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from honcho.environ import parse_procfile

PROCFILE = Path(settings.BASE_DIR) / "Procfile"
VENV_BIN = Path(sys.prefix) / "bin"  # .ci/setup puts it first on PATH for honcho


@pytest.fixture(scope="module")
def processes():
    return parse_procfile(PROCFILE.read_text()).processes


def test_the_procfile_names_web_worker_and_beat(processes):
    assert list(processes) == ["web", "worker", "beat"]


def test_every_process_runs_a_program_of_the_virtual_environment(processes):
    for name, command in processes.items():
        program = shlex.split(command)[0]
        assert (VENV_BIN / program).exists(), (name, program)


def test_web_serves_on_the_port_honcho_gives_it(processes):
    argv = shlex.split(processes["web"])
    assert argv[1:3] == ["manage.py", "runserver"]
    assert "runserver" in get_commands()
    assert argv[3] == "127.0.0.1:${PORT:-8000}"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_processes_load_the_portals_app(processes, name):
    argv = shlex.split(processes[name])
    assert argv[:4] == ["celery", "-A", "portal", name]
    # celery imports the app named by -A before it answers --help: a wrong name fails here.
    result = subprocess.run(
        [VENV_BIN / "celery", "-A", "portal", name, "--help"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "--loglevel" in result.stdout


def test_honcho_accepts_the_procfile():
    result = subprocess.run(
        [VENV_BIN / "honcho", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "web, worker, beat" in result.stderr


def test_the_run_command_starts_the_procfile_with_honcho():
    setup = (Path(settings.BASE_DIR) / ".ci" / "setup").read_text()
    assert "exec honcho start" in setup
    assert 'export PATH="$PWD/.venv/bin:$PATH"' in setup
    assert "runportal" not in setup
