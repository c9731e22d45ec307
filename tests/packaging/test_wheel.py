"""The built wheel works anywhere: installed into a fresh virtual environment with the versions
of requirements.lock, then run from a folder outside the repository, it predicts on a CSV,
serves (``/readyz`` 200, a routing, ``/docs``) on the bundled model, and retrains a candidate
from it; its state lands in that folder's ``var/``, never in site-packages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pandas as pd
import pytest

from lapor_nlp.paths import CHECKOUT_ROOT
from tests.api.conftest import free_port, stop_server

pytestmark = pytest.mark.slow
ROAD = "Jalan provinsi rusak berlubang dan belum diperbaiki, sering terjadi kecelakaan"


def _run(*args: str | Path, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build_dir = CHECKOUT_ROOT / "build"
    had_build_dir = build_dir.exists()
    try:
        _run(
            sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out,
            CHECKOUT_ROOT, cwd=out, env=dict(os.environ),
        )  # fmt: skip
    finally:
        if not had_build_dir:  # setuptools builds in the source tree
            shutil.rmtree(build_dir, ignore_errors=True)
    (built,) = out.glob("lapor_nlp-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("venv") / "env"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run(sys.executable, "-m", "venv", root, cwd=root.parent, env=env)
    _run(
        root / "bin" / "python", "-m", "pip", "install", "--quiet", "--constraint",
        CHECKOUT_ROOT / "requirements.lock", wheel, cwd=root.parent, env=env,
    )  # fmt: skip
    return root


@pytest.fixture
def user_env() -> dict[str, str]:
    """The environment of a user: no LAPOR_* settings, nothing pointing at the repository."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "PROMETHEUS_MULTIPROC_DIR")
    return {k: v for k, v in os.environ.items() if not k.startswith("LAPOR_") and k not in drop}


def test_the_wheel_carries_the_bundled_model_and_no_generic_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bundled = [n for n in names if n.startswith("lapor_nlp/_shipped/models/bundled/")]
    assert any(n.endswith("/model.joblib") for n in bundled)
    assert any(n.endswith("/metadata.json") for n in bundled)
    assert "lapor_nlp/_shipped/training/data/seed_complaints.csv" in names
    for data in ("taxonomy/data/opd.csv", "taxonomy/data/aliases.csv", "text/data/slang.tsv"):
        assert f"lapor_nlp/{data}" in names, data
    tops = {n.split("/", 1)[0] for n in names if not n.startswith("lapor_nlp")}
    assert all(t.endswith(".dist-info") for t in tops), tops


@pytest.mark.timeout(1500)  # a full retrain of the bundled model: minutes on a loaded machine
def test_predict_serve_and_retrain_outside_the_repository(
    venv: Path, tmp_path: Path, user_env: dict[str, str]
) -> None:
    bin_dir = venv / "bin"
    work = tmp_path / "somewhere"
    work.mkdir()
    assert _run(bin_dir / "lapor-nlp", "--version", cwd=work, env=user_env).startswith("lapor-nlp")

    pd.DataFrame({"text": [ROAD, "halo"]}).to_csv(work / "in.csv", index=False)
    _run(
        bin_dir / "lapor-nlp", "predict", "--input", "in.csv", "--output", "out.csv",
        "--jobs", "1", cwd=work, env=user_env,
    )  # fmt: skip
    routed = pd.read_csv(work / "out.csv", keep_default_na=False)
    assert routed.loc[0, "opd"] == "DPUPR"
    assert routed.loc[1, "decision"] == "needs_info" and routed.loc[1, "opd"] == ""

    port = free_port()
    log = (work / "serve.log").open("w")
    process = subprocess.Popen(
        [str(bin_dir / "lapor-nlp"), "serve", "--port", str(port), "--bootstrap-key"],
        cwd=work, env=user_env, stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert "maintainer API key" in process.stdout.readline()
        key = process.stdout.readline().strip()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (work / "serve.log").read_text()[-3000:]
            assert process.poll() is None, (work / "serve.log").read_text()[-3000:]
            time.sleep(0.3)
        answer = httpx.post(
            f"{url}/v1/route", json={"text": ROAD}, headers={"Authorization": f"Bearer {key}"}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["opd"][0]["code"] == "DPUPR"
        assert httpx.get(f"{url}/docs").status_code == 200
        assert httpx.get(f"{url}/docs-assets/swagger-ui-bundle.js").status_code == 200
    finally:
        stop_server(process)  # type: ignore[arg-type]
        log.close()

    # A retrain reads the bundled model's base data: it ships with the package, unchanged.
    code = (
        "from lapor_nlp.data.base import load_base_data\n"
        "from lapor_nlp.registry import ModelRegistry\n"
        "from lapor_nlp.settings import get_settings\n"
        "registry = ModelRegistry.from_settings(get_settings())\n"
        "meta = registry.load().metadata\n"
        "base = load_base_data(meta['base_data'])\n"
        "print(len(base.train.texts), len(base.heldout.texts))\n"
    )
    train, heldout = map(int, _run(bin_dir / "python", "-c", code, cwd=work, env=user_env).split())
    assert train > 1000 and heldout > 100

    # The whole retraining stage runs from the installed package and writes its candidate here.
    _run(bin_dir / "lapor-nlp", "retrain", "--wait", cwd=work, env=user_env)
    candidates = [p for p in (work / "var" / "models").iterdir() if (p / "model.joblib").is_file()]
    assert candidates, sorted(p.name for p in (work / "var" / "models").iterdir())

    assert (work / "var" / "lapor.db").is_file()
    assert (work / "var" / "models" / "registry.json").is_file()
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert not (site / "var").exists() and not (site / "models").exists()
    assert not (site / "lapor_nlp" / "_shipped" / "models" / "registry.json").exists()
