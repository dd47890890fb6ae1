"""The design rules that keep each thing in one place, checked on every run."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_apps_import_only_the_layers_below_them():
    """import-linter's layers contract (pyproject.toml): programmes -> partnerships -> portal,
    imports inside functions included."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


# A check, not a write: "user.is_staff = True" in news' editor_add is allowed.
WHO_MAY = re.compile(
    r"\.is_superuser\b(?!\s*=[^=])|\.is_staff\b(?!\s*=[^=])|\bRole\.[A-Z_]+|memberships__role"
)


def test_who_may_rules_live_only_in_the_access_module():
    """Views, services, forms and templates ask portal/accounts/access.py; none checks
    superusers, staff or roles itself."""
    places = [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/services.py"),
        *ROOT.glob("*/forms.py"),
        *ROOT.glob("*/filters.py"),
        *ROOT.glob("portal/*/views.py"),
        *ROOT.glob("portal/*/services.py"),
        *ROOT.glob("portal/*/forms.py"),
        *ROOT.glob("portal/*/filters.py"),
        *ROOT.glob("templates/**/*.html"),
    ]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in places
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if WHO_MAY.search(line)
    ]
    assert offenders == []
