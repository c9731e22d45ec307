"""The one table reader and writer of every command: CSV (encoding and delimiter detected,
rows of the wrong width refused with their line number), XLSX, and ``-`` for stdin/stdout.

CSV is parsed with :mod:`csv` rather than pandas, because pandas quietly turns a row with one
field too many into an index and shifts the text out of its column.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

import pandas as pd

from lapor_nlp.errors import DataValidationError

STDIO = "-"
"""The file name meaning standard input (reading) or standard output (writing, as CSV)."""
CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
SUPPORTED_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES
DELIMITERS = ",;\t"
CHUNK_ROWS = 50_000
_SNIFF_CHARS = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"


def read_table(path: str | Path, *, header: int | None = 0) -> pd.DataFrame:
    """Read a CSV (``,``, ``;`` or tab, sniffed) or XLSX file, or ``-`` (stdin), into strings.

    Parameters
    ----------
    path : str or Path
        The file; its extension chooses the reader: ``.csv``/``.tsv``/``.txt`` (UTF-8, UTF-8
        with BOM or Windows-1252; delimiter sniffed) or ``.xlsx``/``.xlsm``. ``-`` reads
        standard input (XLSX when it starts like a zip file, CSV otherwise).
    header : 0 or None, default 0
        ``0``: the first row names the columns; ``None``: every row is data (columns numbered).

    Returns
    -------
    pandas.DataFrame
        Every cell as a string; empty cells are missing values (NaN).

    Raises
    ------
    DataValidationError
        The file does not exist, has an unsupported extension, cannot be parsed, or a CSV row
        has more or fewer fields than the header (the message names the line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_text("a;b\\n1;2\\n", encoding="utf-8")
    >>> read_table(p).columns.tolist()
    ['a', 'b']
    """
    return pd.concat(list(iter_table(path, header=header)), ignore_index=True)


def iter_table(
    path: str | Path, *, header: int | None = 0, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """:func:`read_table` in chunks of at most ``chunk_rows`` rows (a CSV is streamed).

    At least one frame is yielded, with the columns even when there are no rows.
    """
    if header not in (0, None):
        raise ValueError("header must be 0 or None")
    label, excel, handle = _open(path)
    try:
        if excel:
            frame = _read_excel(handle, label, header)
            for start in range(0, max(len(frame), 1), chunk_rows):
                yield frame.iloc[start : start + chunk_rows].reset_index(drop=True)
        else:
            yield from _csv_chunks(_decoded(handle, label), label, header, chunk_rows)
    finally:
        handle.close()


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as CSV (UTF-8, comma) or XLSX, chosen by the extension of ``path``;
    ``-`` writes CSV to standard output.

    Parent directories are created. Returns the path written.
    """
    if str(path) == STDIO:
        frame.to_csv(sys.stdout, index=False)
        sys.stdout.flush()
        return Path(STDIO)
    path = Path(path)
    suffix = check_writable(path)
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


def check_writable(path: str | Path) -> str:
    """The lower-case extension of an output file, refused unless CSV/TSV/XLSX (or ``-``)."""
    if str(path) == STDIO:
        return ".csv"
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataValidationError(
            f"cannot write {path}: unsupported extension {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(SUPPORTED_SUFFIXES))} or - (standard output)"
        )
    return suffix


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


def _open(path: str | Path) -> tuple[str, bool, BinaryIO]:
    """(name for messages, is XLSX, binary handle) of a file or of stdin."""
    if str(path) == STDIO:
        data = sys.stdin.buffer.read()
        return "standard input", data.startswith(_ZIP_MAGIC), io.BytesIO(data)
    path = Path(path)
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
    try:
        return str(path), suffix in EXCEL_SUFFIXES, path.open("rb")
    except OSError as exc:
        raise DataValidationError(f"cannot read {path}: {exc}") from exc


def _read_excel(handle: BinaryIO, label: str, header: int | None) -> pd.DataFrame:
    try:
        frame = pd.read_excel(handle, header=header, dtype=str, engine="openpyxl")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise DataValidationError(f"cannot read {label}: {exc}") from exc
    if header is not None:
        frame.columns = pd.Index(_unique([str(c).strip() for c in frame.columns]))
    return frame


def _decoded(handle: BinaryIO, label: str) -> TextIO:
    """The handle as text: UTF-8 (a BOM is dropped) when every byte decodes, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    encoding = "utf-8-sig"
    try:
        for block in iter(lambda: handle.read(1 << 20), b""):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        encoding = "cp1252"
    handle.seek(0)
    return io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")


def _csv_chunks(
    text: TextIO, label: str, header: int | None, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    try:
        sample = text.read(_SNIFF_CHARS)
        text.seek(0)
    except UnicodeDecodeError as exc:
        raise DataValidationError(f"cannot read {label}: not UTF-8 or Windows-1252 text") from exc
    if not sample.strip():
        raise DataValidationError(f"cannot read {label}: the file is empty")
    sep = sniff_delimiter(sample)
    reader = csv.reader(text, delimiter=sep)
    columns: list[str] | list[int] | None = None
    rows: list[list[str]] = []
    yielded = False
    try:
        for record in reader:
            if not record or record == [""]:
                continue  # blank line
            if columns is None:
                columns = _unique([c.strip() for c in record]) if header == 0 else []
                columns = columns or list(range(len(record)))
                if header == 0:
                    continue
            if len(record) != len(columns):
                raise DataValidationError(
                    f"{label}, line {reader.line_num}: {len(record)} fields where the "
                    f"{'header' if header == 0 else 'first row'} has {len(columns)} "
                    f"(delimiter {sep!r}); put text that contains {sep!r} in double quotes"
                )
            rows.append(record)
            if len(rows) >= chunk_rows:
                yield _frame(rows, columns)
                rows, yielded = [], True
    except (csv.Error, UnicodeDecodeError) as exc:
        raise DataValidationError(f"cannot read {label}, line {reader.line_num}: {exc}") from exc
    assert columns is not None
    if rows or not yielded:
        yield _frame(rows, columns)


def _frame(rows: list[list[str]], columns: list[str] | list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=pd.Index(columns), dtype=object)
    return frame.mask(frame == "")


def _unique(names: list[str]) -> list[str]:
    """Column names made unique the way pandas does (``a``, ``a.1``, ...)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    return out
