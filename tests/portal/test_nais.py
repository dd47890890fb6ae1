"""The NAIS manifests name paths, scripts and variables of the portal: each must exist."""

import os
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import resolve

NAIS = Path(settings.BASE_DIR) / ".nais"
MANIFESTS = ["app.yaml", "worker.yaml", "beat.yaml", "migrate-job.yaml"]
ENVIRONMENTS = ["dev.yaml", "prod.yaml"]
BASE_DIR = Path(settings.BASE_DIR)
# Where the portal reads its environment: the settings, gunicorn's configuration, the scripts.
SETTINGS_SOURCE = "\n".join(
    path.read_text()
    for path in [
        BASE_DIR / "portal" / "settings.py",
        BASE_DIR / "gunicorn.conf.py",
        *sorted(
            p for p in (BASE_DIR / "scripts").rglob("*") if p.is_file() and p.suffix in ("", ".py")
        ),
    ]
)
# Read by the platform's own software, not by the portal's settings: botocore's checksums
# and the variables NAIS derives from gcp.sqlInstances / valkey.
NOT_THE_PORTALS = {"AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION"}
# What the secret `partnerportal` (envFrom) must hold.
SECRET = {"SECRET_KEY", "EMAIL_URL", "STORAGE_ACCESS_KEY_ID", "STORAGE_SECRET_ACCESS_KEY"}


def render(manifest: str, environment: str) -> dict:
    """As the deploy action does: {{name}} replaced by the environment file's value."""
    variables = yaml.safe_load((NAIS / environment).read_text()) | {"image": "ghcr.io/x/y:1"}
    text = (NAIS / manifest).read_text()
    missing = set(re.findall(r"{{(\w+)}}", text)) - set(variables)
    assert not missing, f"{manifest} needs {missing} in {environment}"
    return yaml.safe_load(re.sub(r"{{(\w+)}}", lambda m: str(variables[m.group(1)]), text))


def all_rendered():
    return [
        pytest.param(manifest, environment, id=f"{manifest}-{environment}")
        for manifest in MANIFESTS
        for environment in ENVIRONMENTS
    ]


def read_by_settings(name: str) -> bool:
    return re.search(rf'"{name}"|\$\{{{name}[:}}]', SETTINGS_SOURCE) is not None


@pytest.mark.parametrize(("manifest", "environment"), all_rendered())
def test_every_probe_and_scrape_path_is_a_page_of_the_portal(manifest, environment):
    spec = render(manifest, environment)["spec"]
    paths = [spec[probe]["path"] for probe in ("liveness", "readiness") if probe in spec]
    if spec.get("prometheus", {}).get("enabled"):
        paths.append(spec["prometheus"]["path"])
    for path in paths:
        resolve(path)  # Resolver404 if the portal has no such page


@pytest.mark.parametrize(("manifest", "environment"), all_rendered())
def test_every_variable_is_read_by_the_settings(manifest, environment):
    spec = render(manifest, environment)["spec"]
    names = {item["name"] for item in spec.get("env", [])} | SECRET
    for database in spec.get("gcp", {}).get("sqlInstances", []):
        for db in database["databases"]:
            names.add(f"{db['envVarPrefix']}_URL")
    unknown = {name for name in names - NOT_THE_PORTALS if not read_by_settings(name)}
    assert not unknown
    # NAIS's Valkey variables are read through VALKEY_INSTANCE (portal/settings.py).
    if spec.get("valkey"):
        instance = next(i["value"] for i in spec["env"] if i["name"] == "VALKEY_INSTANCE")
        assert instance == spec["valkey"][0]["instance"]


@pytest.mark.parametrize(("manifest", "environment"), all_rendered())
def test_every_command_is_an_executable_start_script(manifest, environment):
    command = render(manifest, environment)["spec"]["command"]
    assert command[0].startswith("/app/")
    script = Path(settings.BASE_DIR) / command[0].removeprefix("/app/")
    assert script.is_file() and os.access(script, os.X_OK)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_beat_runs_exactly_once(environment):
    spec = render("beat.yaml", environment)["spec"]
    assert spec["replicas"] == {"min": 1, "max": 1}
    assert spec["strategy"] == {"type": "Recreate"}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_web_app_runs_several_replicas_with_shared_services(environment):
    spec = render("app.yaml", environment)["spec"]
    assert spec["replicas"]["min"] >= 2
    assert spec["replicas"]["max"] >= spec["replicas"]["min"]
    assert spec["gcp"]["sqlInstances"][0]["type"] == "POSTGRES_15"
    assert spec["gcp"]["buckets"][0]["name"] == next(
        item["value"] for item in spec["env"] if item["name"] == "STORAGE_BUCKET"
    )
    assert spec["port"] == 8080
    assert spec["prometheus"]["port"] == "9090"
    assert {item["name"]: item["value"] for item in spec["env"]}["METRICS_PORT"] == "9090"
    assert spec["resources"]["requests"]["cpu"]
