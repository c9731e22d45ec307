"""End-to-end console tests: a real ``lapor-nlp serve`` process, driven by Debian's Chromium.

One server per database backend (SQLite, and PostgreSQL when ``LAPOR_TEST_POSTGRES_URL`` is
set; a temporary registry with two small real models: ``a`` active, ``b`` a candidate) is
seeded with routed complaints through the API. Every test gets a fresh browser context (no
cookies) and acts only once the page says it is ready (``body[data-ready]``), never after a
fixed sleep; a page that reloads itself is awaited as a navigation, then ready again. Routes
that change the network are added before the page loads: Chromium applies a route added to a
loaded page a moment later, and a request sent in between goes out unrouted. Screenshots
(1366 and 390 px wide) go to ``test-artifacts/console/``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.paths import PROJECT_ROOT
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.store import Store
from tests.api.conftest import server_env, start_server, stop_server
from tests.api.corpus import CORPUS, NONROUTABLE
from tests.conftest import missing_prerequisite
from tests.lapor_nlp.model.corpus import NOT_AUTHORITY
from tests.lapor_nlp.store.databases import BACKENDS, database_url

CHROMIUM = Path(os.environ.get("LAPOR_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "console"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Complaints routed before the tests: mixed topics make the small model unsure.
SEED_TEXTS = [
    "Jalan di depan puskesmas rusak berlubang, pasien susah datang berobat",
    "Sekolah SMA kami kebanjiran karena drainase tersumbat, mohon dibantu",
    "Bantuan sosial untuk lansia belum cair, puskesmas juga kekurangan obat",
    "Sungai tercemar limbah, anak sekolah sering sakit perut",
    "Jembatan retak dan sampah menumpuk di bawahnya menimbulkan bau",
    "Guru honorer belum digaji, bantuan PKH keluarga kami juga dipotong",
    "Limbah pabrik mencemari sawah, jalan usaha tani juga rusak",
    "Vaksin di puskesmas habis dan data DTKS kami tidak diperbarui",
    "Pungutan liar di sekolah, hubungi saya di 0812-3456-7890",
    "Asap pabrik mengganggu, jalan poros juga berlubang di km 12",
    "Obat puskesmas kosong, harus beli di apotek",
    "Jalan provinsi rusak parah dan sering terjadi kecelakaan",
    "Bantuan sembako tidak tepat sasaran di desa kami",
    "Pencemaran air sungai oleh limbah perusahaan sawit",
    "PPDB zonasi SMA tidak transparan",
    "Drainase tersumbat, jalan tergenang dan sekolah ikut banjir",
    "Tenaga kesehatan kasar, sampah medis dibuang ke sungai",
    "Lansia terlantar di dekat jembatan yang rusak",
    "Beasiswa Kaltim Tuntas belum cair, puskesmas tutup lebih awal",
    "Sampah menumpuk di sekolah dan saluran irigasi rusak",
    "Bau busuk dari tempat pembuangan sampah dekat puskesmas",
    "Fogging demam berdarah belum dilakukan, drainase tersumbat",
    "Bantuan BLT dipotong pendamping, jalan desa berlubang",
    "Ruang kelas SLB rusak dan tenaga kesehatan sekolah tidak ada",
    "Limbah tambang mencemari sungai, air berubah warna",
    "Halo min, tes",
]


@dataclass
class ConsoleServer:
    """The running server, its keys and helpers to read what the console stored."""

    url: str
    database_url: str
    keys: dict[str, str]
    ids: list[str]
    env: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def api(self, role: str = "maintainer") -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30.0)

    def feedback(self, complaint_id: str) -> list[dict[str, Any]]:
        with self.api("operator") as client:
            response = client.get(f"/v1/complaints/{complaint_id}")
        assert response.status_code == 200, response.text
        feedback: list[dict[str, Any]] = response.json()["feedback"]
        return feedback

    def queue(self, **params: Any) -> list[dict[str, Any]]:
        with self.api("operator") as client:
            response = client.get("/v1/review-queue", params={"limit": 500, **params})
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    def route(self, text: str) -> dict[str, Any]:
        """Route a new complaint through the API (intake key); its routing as answered."""
        complaint_id = f"KT-{uuid.uuid4().hex[:8]}"
        headers = {"Authorization": f"Bearer {self.keys['intake']}"}
        response = httpx.post(
            f"{self.url}/v1/route",
            json={"text": text, "complaint_id": complaint_id},
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        routed: dict[str, Any] = response.json()
        return routed

    def default_category(self, opd: str) -> str:
        from lapor_nlp.taxonomy import load_default_taxonomy

        return next(o.default_category for o in load_default_taxonomy().opd if o.code == opd)

    def new_key(self, role: Role, name: str) -> str:
        store = Store(self.database_url)
        try:
            return KeyManager(store, cache_seconds=0).create(role=role, name=name, actor="pytest")[
                1
            ]
        finally:
            store.dispose()

    def revoke(self, key: str) -> None:
        store = Store(self.database_url)
        try:
            KeyManager(store, cache_seconds=0).revoke(key[:12], actor="pytest")
        finally:
            store.dispose()


# Held-out complaints (text, OPD) for the models' metrics and the candidate comparison report.
HELDOUT = [
    ("Aspal jalan provinsi mengelupas dan berlubang", "DPUPR"),
    ("Jembatan desa retak, jalan ke kecamatan rusak", "DPUPR"),
    ("Dokter puskesmas jarang ada, obat sering kosong", "DINKES"),
    ("Stok vaksin puskesmas habis", "DINKES"),
    ("Uang seragam SMA negeri terlalu mahal", "DISDIKBUD"),
    ("Gaji guru honorer SMK terlambat", "DISDIKBUD"),
    ("Keluarga miskin tidak menerima bantuan sosial", "DINSOS"),
    ("Penerima PKH tidak tepat sasaran", "DINSOS"),
    ("Limbah perusahaan mencemari sungai", "DLH"),
    ("Sampah menumpuk dan berbau di pinggir sungai", "DLH"),
    ("Jalan ke puskesmas berlubang, ambulans sulit lewat", "DINKES"),
    ("Sekolah tergenang karena saluran air tersumbat", "DPUPR"),
    ("Bantuan untuk siswa miskin di sekolah belum cair", "DINSOS"),
    ("Limbah puskesmas dibuang sembarangan", "DLH"),
    ("Anak sekolah sakit karena air sungai tercemar", "DINKES"),
    ("Sampah di jalan poros tidak diangkut", "DLH"),
]


def _register_models(tmp: Path) -> Path:
    """A registry with ``console-a`` (active; trained with ``train_model`` on a CSV written
    here, so the console can retrain it for real) and ``console-b`` (a candidate with the
    comparison report a retraining stores). Returns the registry directory."""
    import numpy as np
    import pandas as pd

    from lapor_nlp.data.base import Rows, base_data_spec
    from lapor_nlp.model.retraining import compare
    from lapor_nlp.model.training import model_metadata, train_model
    from lapor_nlp.service.jobs import jsonable

    data, nonroutable = tmp / "base.csv", tmp / "nonroutable.csv"
    pd.DataFrame(CORPUS, columns=["text", "opd", "category"]).to_csv(data, index=False)
    pd.DataFrame({"text": NONROUTABLE}).to_csv(nonroutable, index=False)
    not_authority = tmp / "not_authority.csv"
    pd.DataFrame(NOT_AUTHORITY, columns=["text", "level"]).to_csv(not_authority, index=False)
    spec = base_data_spec(
        data,
        text_col="text",
        opd_col="opd",
        category_col="category",
        nonroutable_path=nonroutable,
        heldout_fraction=0.15,
        not_authority_path=not_authority,
    )
    base = train_model(spec, router=_router(C=20.0))
    texts, opd, category = (list(column) for column in zip(*CORPUS, strict=True))
    candidate = _router(C=0.5).fit(texts, opd, category, nonroutable=NONROUTABLE)
    heldout = Rows([t for t, _ in HELDOUT], [o for _, o in HELDOUT])
    report = compare(candidate, base.router, heldout)
    assert np.isfinite(report["macro_f1_delta"])
    registry = ModelRegistry(tmp / "models")
    active = registry.register(base.router, {**base.metadata, "version": "console-a"})
    metadata = model_metadata(
        candidate,
        texts=texts,
        opd=opd,
        category=category,
        source="inline",
        extra={"version": "console-b", "parent_version": active, "comparison": report},
    )
    registry.register(candidate, jsonable(metadata))
    registry.activate(active)
    return registry.root


def _router(C: float) -> ComplaintRouter:
    return ComplaintRouter(C=C, char_ngram_range=None, min_df=1, threshold_folds=2)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        missing_prerequisite(
            f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing_prerequisite("browser tests need playwright (pip install -r requirements.lock)")
    return CHROMIUM


@pytest.fixture(scope="session", params=BACKENDS)
def console_server(
    request: pytest.FixtureRequest, chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleServer]:
    tmp = tmp_path_factory.mktemp(f"console-{request.param}")
    with database_url(request.param, tmp) as db_url:
        yield from _serve(tmp, db_url)


def _serve(tmp: Path, db_url: str) -> Iterator[ConsoleServer]:
    models_dir = _register_models(tmp)
    store = Store(db_url)
    store.migrate()
    manager = KeyManager(store, cache_seconds=0)
    keys = {
        role.value: manager.create(role=role, name=f"{role.value}-uji", actor="pytest")[1]
        for role in Role
    }
    store.dispose()
    env = server_env(tmp, db_url, models_dir)
    env["LAPOR_KEY_CACHE_SECONDS"] = "0"  # a revoked key is refused at once: no timing in tests
    # The small models are sure of little: only the clearest complaints are auto-routed, so
    # the queue's default view (what needs a decision) and the auto filter both have items.
    env["LAPOR_AUTO_THRESHOLD"] = "0.9"
    process, url = start_server(env, tmp / "server.log")
    try:
        ids = [f"KT-{uuid.uuid4().hex[:8]}" for _ in SEED_TEXTS]
        items = [
            {"text": text, "complaint_id": cid, "channel": "web"}
            for text, cid in zip(SEED_TEXTS, ids, strict=True)
        ]
        items[0]["title"] = "Jalan rusak dekat puskesmas"
        headers = {"Authorization": f"Bearer {keys['intake']}"}
        response = httpx.post(
            f"{url}/v1/route/batch", json={"items": items}, headers=headers, timeout=60
        )
        assert response.status_code == 200, response.text
        yield ConsoleServer(url=url, database_url=db_url, keys=keys, ids=ids, env=env)
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, console_server: ConsoleServer) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, base_url=console_server.url, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def ready(page: Any) -> None:
    """Wait until the page's script has wired its controls (it sets ``body[data-ready]``)."""
    page.locator("body[data-ready]").wait_for(state="attached")


def goto(page: Any, path: str) -> None:
    """Open a console page and wait until it is ready."""
    page.goto(path)
    ready(page)


def login(page: Any, key: str) -> None:
    """Sign in through the login form and wait for the queue, ready."""
    goto(page, "/console/login")
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/queue")
    ready(page)
