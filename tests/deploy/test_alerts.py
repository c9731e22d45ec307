"""The Prometheus alert rules: valid (``promtool check rules``), doing what they say
(``promtool test rules`` on deploy/prometheus/alerts_test.yml), and written over metrics the
service really exports."""

from __future__ import annotations

import re
import subprocess

import yaml

from lapor_nlp.observability import ServiceMetrics
from lapor_nlp.paths import CHECKOUT_ROOT
from tests.conftest import required_tool

RULES_DIR = CHECKOUT_ROOT / "deploy" / "prometheus"
RULES = RULES_DIR / "alerts.yml"


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    promtool = required_tool("promtool", "apt-get install prometheus")
    return subprocess.run(
        [str(promtool), *args], cwd=RULES_DIR, capture_output=True, text=True, timeout=120
    )


def test_rules_are_valid() -> None:
    result = _promtool("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 6 rules found" in result.stdout


def test_rules_fire_on_their_cases_only() -> None:
    result = _promtool("test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_metric_an_alert_reads_is_exported() -> None:
    metrics = ServiceMetrics()
    metrics.set_ready(True)
    metrics.observe_request("POST", "/v1/route", 200, 0.01)
    exported = set(re.findall(r"^(\w+)", metrics.render().decode(), re.MULTILINE))
    rules = yaml.safe_load(RULES.read_text())["groups"][0]["rules"]
    used = {name for rule in rules for name in re.findall(r"\blapor_\w+", rule["expr"])}
    assert {rule["alert"] for rule in rules} >= {
        "LaporNotReady", "LaporHighErrorRate", "LaporSlowModel", "LaporConfidenceDrift",
    }  # fmt: skip
    assert used and used <= exported, used - exported
