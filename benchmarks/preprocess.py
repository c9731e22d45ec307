"""Throughput and memory of the lapor-nlp text pipeline against a plain PySastrawi pipeline.

Run by hand::

    .venv/bin/python benchmarks/preprocess.py                 # full run
    .venv/bin/python benchmarks/preprocess.py --max-docs 1000 --repeats 3 --memory-tokens 100000

Corpus: Surabaya ``Dataset_Preprocessing.xlsx`` (column ``keluhan``) under
``lapor_nlp.paths.SHARED_DATA_DIR`` when present, else the CSV files of the project's training
data (first text-like column). The corpus is shuffled and split: ``--max-docs`` texts (at most
half) are timed, the transformer's stem table is fitted on the others (as a model fitted on
its training data meets new complaints), so "cold" is honest.

Cold: a fresh subprocess loads the fitted transformer from a joblib file (ours) or builds
``StemmerFactory().create_stemmer()`` and ``StopWordRemoverFactory().create_stop_word_remover()``
(naive), then processes every timed document; interpreter start and imports are not timed.
Warm: a second pass in the same subprocess. Each phase is reported in wall time and in CPU time
of the subprocess (``time.process_time``), the latter less sensitive to other load.
Memory: resident-set growth (psutil) of a fresh process after one transform of documents made
of never-seen random tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
# Wall time, then CPU time of the process (less sensitive to other load on a shared machine).
PHASES = ("cold", "warm", "cold_cpu", "warm_cpu")


def load_corpus() -> tuple[list[str], str]:
    """Texts of the benchmark corpus and a description of where they come from."""
    from lapor_nlp.paths import SHARED_DATA_DIR, TRAINING_DATA_DIR

    surabaya = SHARED_DATA_DIR / "surabaya-mediacenter-2022" / "Dataset_Preprocessing.xlsx"
    import pandas as pd

    if surabaya.is_file():
        frame = pd.read_excel(surabaya, usecols=["keluhan"])
        texts = [str(t).strip() for t in frame["keluhan"].dropna()]
        return [t for t in texts if t], "Surabaya mediacenter 2022 `keluhan` (shared data)"
    texts = []
    for path in sorted(TRAINING_DATA_DIR.glob("*.csv")):
        frame = pd.read_csv(path)
        column = next((c for c in frame.columns if frame[c].dtype == object), None)
        if column is not None:
            texts += [str(t).strip() for t in frame[column].dropna() if str(t).strip()]
    if not texts:
        raise SystemExit("no corpus: neither shared data nor training data CSV files found")
    return texts, f"project training data ({TRAINING_DATA_DIR})"


def worker(kind: str, docs_path: str, model_path: str, memory: bool) -> None:
    """Subprocess body: prints one JSON line with timings (or memory growth)."""
    import psutil

    with open(docs_path, "rb") as handle:
        docs: list[str] = pickle.load(handle)
    if kind == "ours":
        import joblib

        from lapor_nlp.text.preprocessor import TextPreprocessor  # noqa: F401  (import untimed)
    else:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
    rss_before = psutil.Process().memory_info().rss
    start, start_cpu = time.perf_counter(), time.process_time()
    if kind == "ours":
        prep = joblib.load(model_path)
        run: Any = prep.transform
    else:
        stemmer = StemmerFactory().create_stemmer()
        remover = StopWordRemoverFactory().create_stop_word_remover()

        def run(texts: list[str]) -> list[str]:
            return [remover.remove(stemmer.stem(t)) for t in texts]

    if memory:
        # load the fixed-size parts (dictionary, stem table) first, then measure the stream
        run(["jalan rusak diperbaiki"])
        rss_before = psutil.Process().memory_info().rss
        run(docs)
        grown = (psutil.Process().memory_info().rss - rss_before) / 2**20
        print(json.dumps({"rss_growth_mb": grown}))
        return
    run(docs)
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    start, start_cpu = time.perf_counter(), time.process_time()
    run(docs)
    warm, warm_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(json.dumps({"cold": cold, "warm": warm, "cold_cpu": cold_cpu, "warm_cpu": warm_cpu}))


def spawn(kind: str, docs_path: Path, model_path: Path, memory: bool = False) -> dict[str, float]:
    cmd = [sys.executable, str(SCRIPT), "--worker", kind, str(docs_path), str(model_path)]
    if memory:
        cmd.append("--memory")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def random_docs(n_tokens: int, seed: int) -> list[str]:
    """Documents of 100 random never-seen lower-case tokens each."""
    rng = random.Random(seed)
    letters = string.ascii_lowercase
    tokens = ["".join(rng.choices(letters, k=rng.randint(6, 12))) for _ in range(n_tokens)]
    return [" ".join(tokens[i : i + 100]) for i in range(0, n_tokens, 100)]


def parallel_speed(prep: Any, docs: list[str], repeats: int) -> tuple[float, float]:
    """Warm documents per second with n_jobs=1 and n_jobs=-1 on the same documents."""
    big = docs * max(1, -(-8_000 // max(1, len(docs))))
    rates = {}
    for n_jobs in (1, -1):
        prep.set_params(n_jobs=n_jobs)
        prep.transform(big)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            prep.transform(big)
            times.append(time.perf_counter() - start)
        rates[n_jobs] = len(big) / statistics.median(times)
    prep.set_params(n_jobs=None)
    return rates[1], rates[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-docs", type=int, default=5_000, help="timed documents (max)")
    parser.add_argument("--fit-docs", type=int, default=0, help="fit documents (0: all left)")
    parser.add_argument("--repeats", type=int, default=5, help="fresh processes per pipeline")
    parser.add_argument("--memory-tokens", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--worker", nargs=3, metavar=("KIND", "DOCS", "MODEL"), help=argparse.SUPPRESS
    )
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker, memory=args.memory)
        return

    import joblib

    from lapor_nlp.text.preprocessor import TextPreprocessor

    texts, source = load_corpus()
    random.Random(args.seed).shuffle(texts)
    n_timed = min(args.max_docs, len(texts) // 2)
    timed, fit_part = texts[:n_timed], texts[n_timed:]
    if args.fit_docs:
        fit_part = fit_part[: args.fit_docs]
    start = time.perf_counter()
    prep = TextPreprocessor().fit(fit_part)
    fit_seconds = time.perf_counter() - start

    rows: dict[str, list[dict[str, float]]] = {"ours": [], "naive": []}
    with tempfile.TemporaryDirectory() as tmp:
        docs_path, model_path = Path(tmp) / "docs.pkl", Path(tmp) / "prep.joblib"
        with docs_path.open("wb") as handle:
            pickle.dump(timed, handle)
        joblib.dump(prep, model_path)
        for _ in range(args.repeats):  # interleaved, so that load changes hit both alike
            for kind in rows:
                rows[kind].append(spawn(kind, docs_path, model_path))
        memory: dict[str, float] = {}
        if args.memory_tokens:
            with docs_path.open("wb") as handle:
                pickle.dump(random_docs(args.memory_tokens, args.seed), handle)
            for kind in rows:
                memory[kind] = spawn(kind, docs_path, model_path, memory=True)["rss_growth_mb"]
    serial, parallel = parallel_speed(prep, timed, max(1, args.repeats // 2))

    def rate(kind: str, phase: str) -> float:
        return len(timed) / statistics.median(r[phase] for r in rows[kind])

    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"corpus: {source}; {len(texts):,} texts, mean {mean_chars:.0f} chars")
    print(
        f"stem table fitted on the other {len(fit_part):,} texts of the corpus "
        f"({fit_seconds:.1f} s, {len(prep.stem_table_):,} entries); "
        f"timed on {len(timed):,} texts not seen in fit"
    )
    print(
        f"medians over {args.repeats} fresh processes; imports not timed; nproc={os.cpu_count()}\n"
    )
    tokens = f"{args.memory_tokens:,}"
    print(
        f"| pipeline | cold docs/s | warm docs/s | cold docs/CPU-s | warm docs/CPU-s "
        f"| RSS growth, {tokens} random tokens |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for kind, name in (
        ("ours", "lapor-nlp TextPreprocessor"),
        ("naive", "PySastrawi stem + stopword remover"),
    ):
        mem = f"{memory[kind]:.1f} MB" if kind in memory else "n/a"
        cells = " | ".join(f"{rate(kind, p):,.0f}" for p in PHASES)
        print(f"| {name} | {cells} | {mem} |")
    ratios = {p: rate("ours", p) / rate("naive", p) for p in PHASES}
    cold_ratio, warm_ratio = ratios["cold"], ratios["warm"]
    print(f"| ratio (ours / naive) | {' | '.join(f'{r:.1f}x' for r in ratios.values())} | |")
    print(
        f"\nwarm transform of {max(len(timed), 8_000):,}+ docs: n_jobs=1 {serial:,.0f} docs/s, "
        f"n_jobs=-1 {parallel:,.0f} docs/s ({parallel / serial:.2f}x)"
    )
    print(
        f"goals: cold >= 5x {'met' if cold_ratio >= 5 else 'NOT met'}, "
        f"warm >= 2x {'met' if warm_ratio >= 2 else 'NOT met'}, "
        f"memory <= 50 MB {'met' if memory.get('ours', 0) <= 50 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
