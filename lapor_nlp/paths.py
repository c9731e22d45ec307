"""Where the project's own files live, found from the package, never from the working directory.

In a checkout the bundled model and the training data sit beside the package; an installed
wheel carries them as package data under ``lapor_nlp/_shipped`` (see ``pyproject.toml``), laid
out the same way, so a model's recorded base-data path (``training/data/...``) resolves in both.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_ROOT = PACKAGE_DIR.parent
_SHIPPED = PACKAGE_DIR / "_shipped"
PROJECT_ROOT = _SHIPPED if _SHIPPED.is_dir() else CHECKOUT_ROOT
TAXONOMY_DIR = PACKAGE_DIR / "taxonomy" / "data"
BUNDLED_MODELS_DIR = PROJECT_ROOT / "models" / "bundled"
TRAINING_DATA_DIR = PROJECT_ROOT / "training" / "data"
SHARED_DATA_DIR = CHECKOUT_ROOT.parent / "shared" / "data"
CROSSWALK_FILE = CHECKOUT_ROOT / "training" / "crosswalk" / "agencies.csv"
