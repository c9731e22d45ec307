"""Read and write tabular files (CSV with a sniffed delimiter, XLSX) with plain error messages."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd

from lapor_nlp.errors import DataValidationError

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
SUPPORTED_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES
DELIMITERS = ",;\t"
_ENCODINGS = ("utf-8-sig", "cp1252")
_SNIFF_BYTES = 64 * 1024


def read_table(path: str | Path, *, header: int | None = 0) -> pd.DataFrame:
    """Read a CSV (``,``, ``;`` or tab, sniffed) or XLSX file into a frame of strings.

    Parameters
    ----------
    path : str or Path
        The file; its extension chooses the reader: ``.csv``/``.tsv``/``.txt`` (delimiter
        sniffed) or ``.xlsx``/``.xlsm``.
    header : int or None, default 0
        Row number of the header; ``None`` reads every row as data (columns are numbered).

    Returns
    -------
    pandas.DataFrame
        Every cell as a string; empty cells are missing values (NaN).

    Raises
    ------
    DataValidationError
        The file does not exist, has an unsupported extension, or cannot be parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_text("a;b\\n1;2\\n", encoding="utf-8")
    >>> read_table(p).columns.tolist()
    ['a', 'b']
    """
    path = Path(path)
    suffix = _check_readable(path)
    try:
        if suffix in EXCEL_SUFFIXES:
            frame = pd.read_excel(path, header=header, dtype=str, engine="openpyxl")
        else:
            frame = _read_csv(path, header=header)
    except DataValidationError:
        raise
    except (
        OSError,
        UnicodeError,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
        pd.errors.ParserError,
    ) as exc:
        raise DataValidationError(f"cannot read {path}: {exc}") from exc
    if header is not None:
        frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as CSV (UTF-8, comma) or XLSX, chosen by the extension of ``path``.

    Parent directories are created. Returns the path written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataValidationError(
            f"cannot write {path}: unsupported extension {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix in EXCEL_SUFFIXES:
            frame.to_excel(path, index=False, engine="openpyxl")
        else:
            sep = "\t" if suffix == ".tsv" else ","
            frame.to_csv(path, index=False, sep=sep, encoding="utf-8")
    except OSError as exc:
        raise DataValidationError(f"cannot write {path}: {exc}") from exc
    return path


def _check_readable(path: Path) -> str:
    suffix = path.suffix.lower()
    if not path.exists():
        raise DataValidationError(f"file not found: {path}")
    if not path.is_file():
        raise DataValidationError(f"not a file: {path}")
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataValidationError(
            f"unsupported file type {suffix or '(no extension)'!r} for {path}; "
            f"use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    return suffix


def _read_csv(path: Path, *, header: int | None) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataValidationError(f"cannot read {path}: the file is empty")
    last_error: UnicodeError | None = None
    for encoding in _ENCODINGS:
        try:
            text_sample = raw[:_SNIFF_BYTES].decode(encoding, errors="strict")
        except UnicodeDecodeError as exc:
            # A cut in the middle of a multi-byte character at the sample's end is fine.
            if exc.start < len(raw[:_SNIFF_BYTES]) - 4:
                last_error = exc
                continue
            text_sample = raw[: exc.start].decode(encoding)
        sep = sniff_delimiter(text_sample)
        try:
            return pd.read_csv(
                path, sep=sep, header=header, dtype=str, encoding=encoding, keep_default_na=True
            )
        except UnicodeDecodeError as exc:
            last_error = exc
    raise DataValidationError(f"cannot read {path}: not UTF-8 or Windows-1252 text ({last_error})")


def sniff_delimiter(sample: str) -> str:
    """The field delimiter of a CSV sample: ``,``, ``;`` or tab.

    Uses :class:`csv.Sniffer`; when it cannot decide, the delimiter most frequent in the first
    line wins (comma on a tie or a one-column file).
    """
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] > 0 else ","
