"""Fixtures shared by every test folder: where the real data is, and the PostgreSQL URL."""

from __future__ import annotations

import os
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
