"""Fixtures shared by every test folder: where the real data is, and the PostgreSQL URL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from lapor_nlp.paths import SHARED_DATA_DIR


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The real exports beside the project; tests that need them skip when it is absent."""
    if not SHARED_DATA_DIR.is_dir():
        pytest.skip(f"real data not available: {SHARED_DATA_DIR} does not exist")
    return SHARED_DATA_DIR


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """PostgreSQL for store/API tests; set LAPOR_TEST_POSTGRES_URL to run them."""
    url = os.environ.get("LAPOR_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("LAPOR_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    return url


def in_ci() -> bool:
    """CI sets CI=true: there a missing prerequisite fails its tests instead of skipping them."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_prerequisite(message: str) -> None:
    """Skip the test, or fail it under CI (where .ci/run installs every prerequisite)."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: prerequisites must be installed, not skipped)")
    pytest.skip(message)


def required_tool(name: str, install_hint: str) -> Path:
    """The absolute path of the program ``name``; see :func:`missing_prerequisite`."""
    found = shutil.which(name)
    if found is None:
        missing_prerequisite(f"{name} not found on PATH ({install_hint})")
    return Path(str(found))
