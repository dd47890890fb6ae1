"""What `bash .ci/setup` installs: the README's two commands run it first."""

import importlib
import importlib.util
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "module",
    ["django.db.models.query", "kombu.transport.redis", "portal.settings", "partnerships.views"],
)
def test_the_packages_and_the_portal_are_installed_with_their_bytecode(module):
    # So a gunicorn worker starts without compiling Django from source, even where
    # PYTHONDONTWRITEBYTECODE is set (docs/BENCHMARKS.md, "Fifth round": 1.8 s a start
    # without, 0.6 s with).
    source = importlib.import_module(module).__file__
    assert Path(importlib.util.cache_from_source(source)).is_file()
