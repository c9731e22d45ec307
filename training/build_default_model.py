"""Build the bundled default model (Kalimantan Timur) from the seed data: ``make model``.

Fixed seeds and a version named after the data's SHA-256, so a rebuild from the same data
and code gives the same version name and the same held-out metrics.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from lapor_nlp.data.io import read_table
from lapor_nlp.data.validate import validate_training_frame
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.training import data_sha256, train_router
from lapor_nlp.paths import BUNDLED_MODELS_DIR, TRAINING_DATA_DIR
from lapor_nlp.registry import write_model_dir
from lapor_nlp.taxonomy import load_default_taxonomy

SEED = 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=TRAINING_DATA_DIR / "seed_complaints.csv")
    parser.add_argument(
        "--nonroutable", type=Path, default=TRAINING_DATA_DIR / "seed_nonroutable.csv"
    )
    parser.add_argument("--out-root", type=Path, default=BUNDLED_MODELS_DIR)
    args = parser.parse_args(argv)

    frame = read_table(args.data)
    data = validate_training_frame(
        frame,
        text_col="text",
        opd_col="opd",
        category_col="category",
        taxonomy=load_default_taxonomy(),
    )
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    nonroutable = read_table(args.nonroutable)["text"].dropna().astype(str).tolist()

    started = time.perf_counter()
    run = train_router(
        data.texts,
        data.opd,
        data.category,
        nonroutable=nonroutable,
        source="training/data/seed_complaints.csv + training/data/seed_nonroutable.csv",
        router=ComplaintRouter(random_state=SEED),
    )
    seconds = time.perf_counter() - started
    version = f"kaltim-default-{data_sha256(data.texts, data.opd, data.category)[:10]}"

    # One bundled model at a time: the new one replaces whatever was there.
    args.out_root.mkdir(parents=True, exist_ok=True)
    for old in args.out_root.iterdir():
        if old.is_dir():
            shutil.rmtree(old)
    meta = write_model_dir(
        run.router,
        {**run.metadata, "version": version, "training_seconds": round(seconds, 1)},
        args.out_root / version,
    )
    summary = {
        "version": version,
        "training_seconds": round(seconds, 1),
        "artifact_bytes": meta["artifact_bytes"],
        "opd": {k: v for k, v in meta["metrics"]["opd"].items() if k != "per_class_f1"},
        "category": {
            k: v for k, v in meta["metrics"].get("category", {}).items() if k != "per_class_f1"
        },
        "thresholds": {k: v for k, v in meta["thresholds"].items() if k != "curve"},
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
