"""The repository's own files for CI, deployment and contributors say what the README says."""

import json
from pathlib import Path

import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def test_the_license_file_is_the_one_package_json_names():
    license_name = json.loads((BASE_DIR / "package.json").read_text())["license"]
    assert (BASE_DIR / "LICENSE").read_text().startswith(f"{license_name} License\n")


def test_dependabot_watches_every_kind_of_dependency():
    config = yaml.safe_load((BASE_DIR / ".github" / "dependabot.yml").read_text())
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"pip", "npm", "github-actions", "docker"}


def test_the_workflow_tests_with_real_services_then_deploys_through_nais():
    workflow = yaml.safe_load((BASE_DIR / ".github" / "workflows" / "ci.yaml").read_text())
    test = workflow["jobs"]["test"]
    assert {"postgres", "redis"} <= set(test["services"])
    assert test["env"]["PORTAL_REQUIRE_ALL_SERVICES"] == "1"
    assert any("bash .ci/setup test" in step.get("run", "") for step in test["steps"])
    for job in ("deploy-dev", "deploy-prod"):
        [deploy] = [s for s in workflow["jobs"][job]["steps"] if "deploy" in s.get("uses", "")]
        assert deploy["uses"] == "nais/deploy/actions/deploy@v2"
        resources = deploy["env"]["RESOURCE"].split(",")
        assert resources[0] == ".nais/migrate-job.yaml"  # before the new web pods
        assert all((BASE_DIR / resource).is_file() for resource in resources)
        assert (BASE_DIR / deploy["env"]["VARS"]).is_file()


def test_pre_commit_runs_ruff_and_djlint():
    config = yaml.safe_load((BASE_DIR / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "djlint-django"} <= hooks
