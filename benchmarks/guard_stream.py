"""The auto-route guard on a stream of real complaints from outside the seed data.

Run by hand (needs ``../shared/data``)::

    .venv/bin/python benchmarks/guard_stream.py [--limit 2000] [--audit-rate 0.2]

Real Surabaya and Kab. Bandung reports whose handling agency has a clear Kaltim counterpart
(the small mapping below, by the agency's duty; others are left out) are sent, shuffled, to a
real ``lapor-nlp serve`` with the bundled model, a fresh SQLite database and the guard ``on``.
An operator judges what operators judge in service: every audit item and every ``review``
answer, with the mapped agency as the true OPD. Nothing is trained on these rows.

``--source independent`` sends the hand-written Kaltim complaints of ``benchmarks/data/
independent`` instead. Printed (Markdown), per guard state: the coverage and precision of the
complaints answered ``auto``, the precision of all would-be ``auto`` routings (those a shadow or
off guard held back included), and each change of the guard's state.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from lapor_nlp.data.real import load_bandung_agency, load_surabaya_agency

# Agency of the export -> Kaltim OPD with the same duty. Agencies without one clear
# counterpart (sub-district offices, mixed trade/industry/labour offices, the city hospital…)
# are left out rather than guessed.
SURABAYA_TO_KALTIM = {
    "Dinas Sumber Daya Air dan Bina Marga": "DPUPR",
    "Dinas Lingkungan Hidup": "DLH",
    "Dinas Sosial": "DINSOS",
    "Dinas Perhubungan": "DISHUB",
    "Dinas Pendidikan": "DISDIKBUD",
    "Dinas Kesehatan": "DINKES",
    "Satuan Polisi Pamong Praja": "SATPOLPP",
    "Dinas Perumahan Rakyat dan Kawasan Permukiman serta Pertanahan": "DISPERKIM",
    "Dinas Komunikasi dan Informatika": "DISKOMINFO",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak serta Pengendalian Penduduk dan "
    "Keluarga Berencana": "DKP3A",
    "Badan Pendapatan Daerah": "BAPENDA",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": "BKD",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": "DPMPTSP",
    "Badan Penanggulangan Bencana Daerah": "BPBD",
}
BANDUNG_TO_KALTIM = {
    "Dinas Pekerjaan Umum dan Tata Ruang Kabupaten Bandung": "DPUPR",
    "Dinas Sosial Kabupaten Bandung": "DINSOS",
    "Dinas Lingkungan Hidup Kabupaten Bandung": "DLH",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bandung": "DPMPTSP",
    "Dinas Perhubungan Kabupaten Bandung": "DISHUB",
    "Dinas Pendidikan Bandung": "DISDIKBUD",
    "Dinas Kesehatan Kabupaten Bandung": "DINKES",
    "DINAS KESEHATAN KABUPATEN Bandung": "DINKES",
    "Dinas Pertanian Kabupaten Bandung": "DPTPH",
    "Dinas Ketenagakerjaan Kabupaten Bandung": "DISNAKERTRANS",
    "Dinas Perumahan Dan Kawasan Permukiman dan Pertanahan Kabupaten Bandung": "DISPERKIM",
    "Dinas Komunikasi dan Informatika, Statistik dan Persandian Kabupaten Bandung": "DISKOMINFO",
    "Dinas Perdagangan dan Perindustrian Kabupaten Bandung": "DISPERINDAG",
    "Satuan Polisi Pamong Praja Kabupaten Bandung": "SATPOLPP",
    "Badan Kepegawaian dan Sumber daya Manusia Kabupaten Bandung": "BKD",
    "Dinas Pemuda dan Olah Raga Kabupaten Bandung": "DISPORA",
    "Dinas Koperasi, Usaha Kecil dan Menengah Kabupaten Bandung": "DISKOPUKM",
    "Badan Pendapatan Daerah": "BAPENDA",
    "Inspektorat Kabupaten Bandung": "INSPEKTORAT",
}


@dataclass(frozen=True)
class Row:
    text: str
    opd: str
    source: str


@dataclass
class Routed:
    row: Row
    decision: str
    predicted: str
    state: str
    """The guard's state when the complaint was answered."""
    audited: bool = False

    @property
    def would_be_auto(self) -> bool:
        """Routed auto, or held back by a shadow/off guard (then always audited)."""
        return self.decision == "auto" or (self.state in ("shadow", "off") and self.audited)


def stream(limit: int, seed: int) -> list[Row]:
    """Mapped Surabaya and Bandung reports, shuffled; all of Bandung's, Surabaya's up to
    ``limit`` in total."""
    bandung = load_bandung_agency()
    surabaya = load_surabaya_agency()
    rows = [
        Row(t, BANDUNG_TO_KALTIM[a], "bandung")
        for t, a in zip(bandung.texts, bandung.labels, strict=True)
        if a in BANDUNG_TO_KALTIM
    ]
    sby = [
        Row(t, SURABAYA_TO_KALTIM[a], "surabaya")
        for t, a in zip(surabaya.texts, surabaya.labels, strict=True)
        if a in SURABAYA_TO_KALTIM
    ]
    rng = random.Random(seed)
    rng.shuffle(sby)
    rows += sby[: max(0, limit - len(rows))]
    rng.shuffle(rows)
    return rows


def start_server(workdir: Path, env_extra: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAPOR_")}
    env.update({"LAPOR_DATA_DIR": str(workdir), "LAPOR_MODELS_DIR": str(workdir / "models")})
    env.update({"LAPOR_LOG_LEVEL": "WARNING", "LAPOR_ACCESS_LOG": "false", **env_extra})
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cli = str(Path(sys.executable).with_name("lapor-nlp"))
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [cli, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"server did not start; see {workdir / 'server.log'}")


def keys(workdir: Path) -> dict[str, str]:
    from lapor_nlp.auth import KeyManager, Role
    from lapor_nlp.store import Store

    store = Store(f"sqlite:///{workdir / 'lapor.db'}")
    store.migrate()
    manager = KeyManager(store)
    made = {
        role.value: manager.create(role=role, name=f"bench-{role.value}", actor="benchmark")[1]
        for role in (Role.INTAKE, Role.OPERATOR)
    }
    store.dispose()
    return made


def run(rows: list[Row], url: str, key: dict[str, str]) -> tuple[list[Routed], list[str]]:
    intake = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key['intake']}"})
    operator = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key['operator']}"})
    routed: list[Routed] = []
    changes: list[str] = []
    guard = operator.get("/v1/models/active/guard").json()
    state = guard["state"]
    rule = (guard["threshold"], guard["margin"])
    for index, row in enumerate(rows):
        complaint_id = f"B-{uuid.uuid4().hex[:12]}"
        body = intake.post("/v1/route", json={"text": row.text, "complaint_id": complaint_id})
        body.raise_for_status()
        answer = body.json()
        predicted = answer["opd"][0]["code"]
        routed.append(Routed(row, answer["decision"], predicted, state))
        if answer["decision"] == "needs_info":
            continue
        detail = operator.get(f"/v1/complaints/{complaint_id}").json()
        audited = bool(detail["predictions"][-1]["audit"])
        routed[-1].audited = audited
        if answer["decision"] == "auto" and not audited:
            continue  # routed without a person reading it: no verdict
        verdict = "accept" if predicted == row.opd else "correct"
        operator.post(
            f"/v1/complaints/{complaint_id}/feedback", json={"verdict": verdict, "opd": row.opd}
        ).raise_for_status()
        if not audited:
            continue  # only verdicts on audits move the guard
        guard = operator.get("/v1/models/active/guard").json()
        if (guard["state"], (guard["threshold"], guard["margin"])) != (state, rule):
            changes.append(
                f"after complaint {index + 1}: {state} -> {guard['state']} "
                f"(threshold {guard['threshold']:.2f}, margin {guard['margin']:.2f}): "
                f"{guard['reason']}"
            )
            state, rule = guard["state"], (guard["threshold"], guard["margin"])
    return routed, changes


def _precision(routed: list[Routed]) -> str:
    right = sum(r.predicted == r.row.opd for r in routed)
    return f"{right / len(routed):.3f} ({right}/{len(routed)})" if routed else "– (none)"


def independent() -> list[Row]:
    """The hand-written Kaltim complaints of ``benchmarks/data/independent`` (never trained on)."""
    import pandas as pd

    frame = pd.read_csv(Path(__file__).parent / "data" / "independent" / "routable.csv")
    return [
        Row(f"{title}. {text}", str(opd), "independent")
        for title, text, opd in zip(frame.title, frame.text, frame.opd, strict=True)
    ]


def precision_table(routed: list[Routed]) -> list[str]:
    lines = [
        "| guard state when answered | complaints | answered auto | auto coverage "
        "| auto precision | would-be auto precision |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    order: list[str] = []
    for r in routed:
        if r.state not in order:
            order.append(r.state)
    for state in order:
        part = [r for r in routed if r.state == state]
        auto = [r for r in part if r.decision == "auto"]
        would = [r for r in part if r.would_be_auto]
        lines.append(
            f"| {state} | {len(part)} | {len(auto)} | {len(auto) / len(part):.1%} "
            f"| {_precision(auto)} | {_precision(would)} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="complaints in the stream")
    parser.add_argument("--audit-rate", type=float, default=0.2)
    parser.add_argument("--min-audits", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--source",
        choices=("exports", "independent"),
        default="exports",
        help="real Surabaya/Bandung reports, or the hand-written independent Kaltim complaints",
    )
    args = parser.parse_args()

    if args.source == "exports":
        rows = stream(args.limit, args.seed)
    else:
        rows = independent()
        random.Random(args.seed).shuffle(rows)
    workdir = Path(tempfile.mkdtemp(prefix="lapor-guard-bench-"))
    try:
        key = keys(workdir)
        process, url = start_server(
            workdir,
            {
                "LAPOR_AUTO_START": "on",
                "LAPOR_AUDIT_RATE": str(args.audit_rate),
                "LAPOR_GUARD_MIN_AUDITS": str(args.min_audits),
            },
        )
        try:
            started = time.monotonic()
            routed, changes = run(rows, url, key)
            seconds = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sources = {s: sum(r.source == s for r in rows) for s in ("surabaya", "bandung", "independent")}
    print(
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} · Python "
        f"{platform.python_version()} · {os.cpu_count()} CPUs · {len(rows)} complaints "
        f"({sources['surabaya']} Surabaya, {sources['bandung']} Kab. Bandung, "
        f"{sources['independent']} independent), seed {args.seed}, "
        f"audit rate {args.audit_rate}, minimum audits {args.min_audits}, {seconds:.0f} s\n"
    )
    print("\n".join(precision_table(routed)))
    print("\nGuard changes:")
    for change in changes or ["none"]:
        print(f"- {change}")


if __name__ == "__main__":
    main()
