"""Runtime state goes to a data folder (``LAPOR_DATA_DIR``, default ``./var``), never beside the
installed package; the model registry follows the data folder unless LAPOR_MODELS_DIR is set."""

from __future__ import annotations

from pathlib import Path

import pytest

from lapor_nlp.paths import PACKAGE_DIR
from lapor_nlp.settings import Settings


def test_defaults_are_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LAPOR_DATA_DIR", "LAPOR_MODELS_DIR", "LAPOR_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.data_dir == tmp_path / "var"
    assert settings.models_dir == tmp_path / "var" / "models"
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'var' / 'lapor.db'}"
    assert PACKAGE_DIR not in settings.data_dir.parents


def test_models_follow_the_data_dir_unless_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LAPOR_MODELS_DIR", raising=False)
    monkeypatch.setenv("LAPOR_DATA_DIR", str(tmp_path / "state"))
    assert Settings().models_dir == tmp_path / "state" / "models"
    monkeypatch.setenv("LAPOR_MODELS_DIR", str(tmp_path / "registry"))
    assert Settings().models_dir == tmp_path / "registry"
    assert Settings(models_dir=tmp_path / "given").models_dir == tmp_path / "given"
