"""Where the project's own files live, found from the package, never from the working directory."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
TAXONOMY_DIR = PACKAGE_DIR / "taxonomy" / "data"
BUNDLED_MODELS_DIR = PROJECT_ROOT / "models" / "bundled"
TRAINING_DATA_DIR = PROJECT_ROOT / "training" / "data"
SHARED_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
CROSSWALK_FILE = PROJECT_ROOT / "training" / "crosswalk" / "agencies.csv"
