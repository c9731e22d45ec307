"""SHA-256 fingerprints of files and of training rows."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_sha256(texts: Sequence[str], opd: Sequence[str], category: Sequence[str] | None) -> str:
    """Fingerprint of training rows, order-sensitive, independent of the file format.

    >>> data_sha256(["a"], ["X"], None) == data_sha256(["a"], ["X"], [""])
    True
    """
    digest = hashlib.sha256()
    for i, text in enumerate(texts):
        cat = category[i] if category is not None else ""
        digest.update(f"{text}\x1f{opd[i]}\x1f{cat}\x1e".encode())
    return digest.hexdigest()
