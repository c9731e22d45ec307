"""The shared metrics folder of a multi-worker server (Prometheus multiprocess mode)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lapor_nlp.observability.metrics import MULTIPROC_ENV


def prepare_multiprocess_dir(default: Path, workers: int) -> Path | None:
    """With more than one worker: point ``PROMETHEUS_MULTIPROC_DIR`` at a folder (the one
    already set, else ``default``) and empty it, since values left by a previous run would
    be summed into this one's. Must run before the workers start (they inherit the variable).
    """
    if workers <= 1:
        os.environ.pop(MULTIPROC_ENV, None)
        return None
    folder = Path(os.environ.get(MULTIPROC_ENV) or default)
    if folder.exists():
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder
