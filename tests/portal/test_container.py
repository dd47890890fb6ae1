"""The container image, read from the Dockerfile (no Docker engine runs the tests)."""

import os
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def stages() -> list[tuple[str, list[str]]]:
    """(name, instructions) per FROM, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (BASE_DIR / "Dockerfile").read_text())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            parts = line.split()
            result.append((parts[3] if len(parts) > 3 else parts[1], []))
        result[-1][1].append(line)
    return result


def test_the_image_is_built_in_stages():
    names = [name for name, _ in stages()]
    assert len(names) >= 2
    assert names[-1] == "runtime"


def test_the_final_stage_runs_as_a_user_who_is_not_root():
    _, final = stages()[-1]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users, "no USER in the final stage"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_final_stage_has_no_compiler_or_node():
    _, final = stages()[-1]
    text = " ".join(final)
    for tool in ("build-essential", "gcc", "g++", "make ", "npm", "nodejs"):
        assert tool not in text, tool
    assert all(not line.startswith("FROM node") for line in final)


def test_static_files_and_translations_are_built_into_the_image():
    text = " ".join(line for _, lines in stages() for line in lines)
    assert "collectstatic" in text
    assert "compiletranslations" in text


def test_the_default_command_is_the_web_start_script_and_it_exists():
    _, final = stages()[-1]
    [cmd] = [line for line in final if line.startswith("CMD ")]
    program = shlex.split(cmd.removeprefix("CMD ").strip("[]").replace(",", " "))[0]
    script = BASE_DIR / program.removeprefix("/app/")
    assert script.is_file() and os.access(script, os.X_OK)


@pytest.mark.parametrize("name", ["start-web", "start-worker", "start-beat", "migrate"])
def test_each_process_has_an_executable_start_script(name):
    script = BASE_DIR / "scripts" / name
    assert os.access(script, os.X_OK)
    assert script.read_text().startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script.read_text()


def test_the_image_does_not_copy_local_state():
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    for path in (".venv", "node_modules", "var", ".git"):
        assert path in ignored


def test_the_image_holds_the_bytecode_of_its_packages_and_of_the_portal():
    # Its user may not write /app or /venv and PYTHONDONTWRITEBYTECODE is set: without
    # bytecode built in, every gunicorn worker compiles Django from source at each start.
    build = " ".join(next(lines for name, lines in stages() if name == "build"))
    compileall = re.search(r"python -m compileall ([^&]*)", build)
    # By hash, not by the files' times, which a reproducible build may rewrite.
    assert "--invalidation-mode unchecked-hash" in compileall.group(1)
    assert {"/venv", "/app"} <= set(compileall.group(1).split())
    assert build.index("compileall") > build.index("COPY . .")
