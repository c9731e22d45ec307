"""Prerequisites are not skipped silently in CI: under CI=true a browser test without Chromium
fails; locally it skips and says why. ``make run`` takes HOST and PORT."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lapor_nlp.paths import CHECKOUT_ROOT

BROWSER_TEST = "tests/api/console/test_docs_offline.py"


def _pytest_without_chromium(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["LAPOR_TEST_CHROMIUM"] = "/nonexistent/chromium"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", BROWSER_TEST, "-q", "-p", "no:cacheprovider", "-x",
         "-o", "addopts=-ra"],
        cwd=CHECKOUT_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_missing_chromium_fails_under_ci() -> None:
    result = _pytest_without_chromium("true")
    assert result.returncode == 1, result.stdout[-2000:]
    assert "CI=true: prerequisites must be installed" in result.stdout
    assert "1 failed" in result.stdout or "1 error" in result.stdout


def test_missing_chromium_skips_locally() -> None:
    result = _pytest_without_chromium(None)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "skipped" in result.stdout and "Chromium" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "--host 127.0.0.1 --port 8000"),
        (("HOST=0.0.0.0", "PORT=8123"), "--host 0.0.0.0 --port 8123"),
    ],
)
def test_make_run_takes_host_and_port(args: tuple[str, ...], expected: str) -> None:
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "-o", ".venv/.installed-stamp", "run", *args],
        cwd=CHECKOUT_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    serve = [line for line in result.stdout.splitlines() if "lapor-nlp serve" in line]
    assert serve == [f".venv/bin/lapor-nlp serve --bootstrap-key {expected}"]
