"""Load benchmark of the routing API: ``POST /v1/route`` beside ``GET /healthz``.

Run by hand (loopback only)::

    .venv/bin/python benchmarks/api_load.py                # starts its own server (SQLite)
    .venv/bin/python benchmarks/api_load.py --url http://127.0.0.1:8000 --key KEY

For 1, 8 and 32 concurrent keep-alive clients it sends a bounded number of requests (and
stops early at ``--max-seconds``) to each endpoint and prints throughput and p50/p99 latency
as a Markdown table. The clients are a minimal HTTP/1.1 implementation on asyncio streams so
that the load generator costs as little CPU as possible.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

TEXTS = [
    "Jalan poros Samarinda-Bontang di km 12 rusak parah dan berlubang, sudah tiga bulan "
    "tidak diperbaiki. Mohon segera ditangani karena sering terjadi kecelakaan.",
    "Puskesmas di kecamatan kami kehabisan obat dan dokter jarang datang, pasien lansia "
    "harus menunggu berjam-jam tanpa kepastian.",
    "Anak saya tidak diterima di SMA negeri terdekat padahal rumah kami masuk zonasi, "
    "proses PPDB tidak transparan.",
    "Bantuan sosial sembako tidak sampai ke keluarga miskin di RT 04, data penerima tidak "
    "pernah diperbarui oleh petugas.",
    "Sungai di dekat permukiman tercemar limbah tambang batu bara, airnya keruh dan ikan mati.",
    "Lampu lalu lintas di simpang empat mati sejak seminggu, kendaraan saling serobot.",
]


@dataclass
class Result:
    endpoint: str
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))
        return ordered[index] * 1000


def _request_bytes(method: str, path: str, host: str, key: str | None, body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    if key:
        lines.append(f"Authorization: Bearer {key}")
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def _client(
    host: str,
    port: int,
    payloads: list[bytes],
    budget: list[int],
    deadline: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = 0
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            payload = payloads[i % len(payloads)]
            i += 1
            started = time.perf_counter()
            writer.write(payload)
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors[0] += 1
    finally:
        writer.close()


async def _level(
    url: str, endpoint: str, payloads: list[bytes], clients: int, requests: int, max_seconds: float
) -> Result:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    budget, latencies, errors = [requests], [], [0]
    started = time.perf_counter()
    deadline = started + max_seconds
    await asyncio.gather(
        *(
            _client(host, port, payloads, budget, deadline, latencies, errors)
            for _ in range(clients)
        )
    )
    elapsed = time.perf_counter() - started
    return Result(endpoint, clients, len(latencies), errors[0], elapsed, latencies)


def run(url: str, key: str, levels: list[int], requests: int, max_seconds: float) -> list[Result]:
    netloc = urlparse(url).netloc
    route = [
        _request_bytes("POST", "/v1/route", netloc, key, json.dumps({"text": t}).encode())
        for t in TEXTS
    ]
    health = [_request_bytes("GET", "/healthz", netloc, None, b"")]
    # Warm-up: first requests pay for lazy imports and caches.
    asyncio.run(_level(url, "warmup", route, 4, 200, 10))
    results = []
    for clients in levels:
        for endpoint, payloads in (("GET /healthz", health), ("POST /v1/route", route)):
            results.append(
                asyncio.run(_level(url, endpoint, payloads, clients, requests, max_seconds))
            )
    return results


def table(results: list[Result]) -> str:
    rows = [
        "| endpoint | clients | requests | errors | req/s | p50 ms | p99 ms | route/healthz |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    health = {r.clients: r.throughput for r in results if r.endpoint == "GET /healthz"}
    for r in results:
        ratio = ""
        if r.endpoint == "POST /v1/route" and health.get(r.clients):
            ratio = f"{r.throughput / health[r.clients]:.2f}x"
        rows.append(
            f"| {r.endpoint} | {r.clients} | {r.requests} | {r.errors} | {r.throughput:,.0f} "
            f"| {r.percentile(0.50):.2f} | {r.percentile(0.99):.2f} | {ratio} |"
        )
    return "\n".join(rows)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_local_server(workdir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str, str]:
    """``lapor-nlp serve`` on a free loopback port with a fresh SQLite database."""
    from lapor_nlp.auth import KeyManager, Role
    from lapor_nlp.store import Store

    env = dict(os.environ)
    env["LAPOR_DATA_DIR"] = str(workdir)
    env.pop("LAPOR_DATABASE_URL", None)
    env.setdefault("LAPOR_LOG_LEVEL", "WARNING")
    store = Store(f"sqlite:///{workdir / 'lapor.db'}")
    store.migrate()
    _, key = KeyManager(store).create(role=Role.INTAKE, name="benchmark", actor="benchmark")
    store.dispose()
    port = _free_port()
    cli = str(Path(sys.executable).with_name("lapor-nlp"))
    process = subprocess.Popen(
        [cli, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "server.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url, key
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"server did not become ready; see {workdir / 'server.log'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="an already running server (loopback only)")
    parser.add_argument("--key", help="an API key with role intake or higher (with --url)")
    parser.add_argument("--levels", default="1,8,32", help="concurrent clients per level")
    parser.add_argument("--requests", type=int, default=3000, help="requests per level")
    parser.add_argument("--max-seconds", type=float, default=20.0, help="time cap per level")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (own server)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    process = None
    workdir = Path(tempfile.mkdtemp(prefix="lapor-bench-"))
    try:
        if args.url:
            if urlparse(args.url).hostname not in {"127.0.0.1", "localhost", "::1"}:
                raise SystemExit("loopback only: give a 127.0.0.1 or localhost URL")
            if not args.key:
                raise SystemExit("--key is needed with --url")
            url, key = args.url, args.key
        else:
            process, url, key = start_local_server(workdir, args.workers)
        results = run(url, key, levels, args.requests, args.max_seconds)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} {platform.node()} {platform.processor() or ''}")
    print(f"# {os.cpu_count()} CPUs, Python {platform.python_version()}, workers={args.workers}")
    print(table(results))
    route8 = next((r for r in results if r.endpoint == "POST /v1/route" and r.clients == 8), None)
    health8 = next((r for r in results if r.endpoint == "GET /healthz" and r.clients == 8), None)
    if route8 and health8:
        ratio = route8.throughput / health8.throughput
        print(
            f"\ngoal at 8 clients: route >= 0.5x healthz ({ratio:.2f}x), "
            f"p99 <= 25 ms ({route8.percentile(0.99):.1f} ms), no errors ({route8.errors})"
        )


if __name__ == "__main__":
    main()
