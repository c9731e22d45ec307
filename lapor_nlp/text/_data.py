"""Reading the word lists shipped in ``lapor_nlp/text/data``."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 word list, comments (``#``) skipped, surrounding blanks removed.

    Raises
    ------
    FileNotFoundError
        When the file is missing (a broken installation must fail loudly).
    """
    if not path.is_file():
        raise FileNotFoundError(f"word list not found: {path}")
    lines: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines
