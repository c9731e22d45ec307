"""Build the bundled default model (Kalimantan Timur) from the seed data: ``make model``.

Fixed seeds and a version named after the data's SHA-256, so a rebuild from the same data and
code gives the same version name and the same metrics. A fixed 10% of the seed rows is held
out (chosen by a hash of the text) and never trained on: it scores this model now and every
retrained candidate later.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from lapor_nlp.data.base import base_data_spec
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.training import train_model
from lapor_nlp.paths import BUNDLED_MODELS_DIR, TRAINING_DATA_DIR
from lapor_nlp.registry import write_model_dir
from lapor_nlp.taxonomy import load_default_taxonomy

SEED = 0
HELDOUT_FRACTION = 0.1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=TRAINING_DATA_DIR / "seed_complaints.csv")
    parser.add_argument(
        "--nonroutable", type=Path, default=TRAINING_DATA_DIR / "seed_nonroutable.csv"
    )
    parser.add_argument("--out-root", type=Path, default=BUNDLED_MODELS_DIR)
    args = parser.parse_args(argv)

    spec = base_data_spec(
        args.data,
        text_col="text",
        opd_col="opd",
        category_col="category",
        nonroutable_path=args.nonroutable,
        heldout_fraction=HELDOUT_FRACTION,
    )
    started = time.perf_counter()
    run = train_model(
        spec, router=ComplaintRouter(random_state=SEED), taxonomy=load_default_taxonomy()
    )
    seconds = time.perf_counter() - started
    version = f"kaltim-default-{spec['sha256'][:10]}"

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

    def brief(metrics: dict | None) -> dict:  # type: ignore[type-arg]
        return {k: v for k, v in (metrics or {}).items() if k != "per_class_f1"}

    summary = {
        "version": version,
        "training_rows": meta["training_rows"],
        "training_seconds": round(seconds, 1),
        "artifact_bytes": meta["artifact_bytes"],
        "cross_validated_on_training_rows": {
            "opd": brief(meta["metrics"]["opd"]),
            "category": brief(meta["metrics"].get("category")),
        },
        "heldout_test": brief(meta["heldout_test"]),
        "thresholds": {k: v for k, v in meta["thresholds"].items() if k != "curve"},
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
