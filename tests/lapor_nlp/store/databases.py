"""Test databases: a SQLite file, or a throw-away PostgreSQL schema when one is configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

POSTGRES_ENV = "LAPOR_TEST_POSTGRES_URL"
BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
]


def postgres_schema_url(base_url: str, schema: str) -> str:
    """``base_url`` with every connection's search_path set to ``schema``."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def database_url(backend: str, tmp_dir: Path) -> Iterator[str]:
    """A URL of an empty database for ``backend``; PostgreSQL gets a fresh schema, dropped after.

    Skips the test when PostgreSQL is asked for and ``LAPOR_TEST_POSTGRES_URL`` is not set.
    """
    if backend == "sqlite":
        yield f"sqlite:///{(tmp_dir / 'lapor.db').as_posix()}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://...)")
    schema = f"lapor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield postgres_schema_url(base, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
