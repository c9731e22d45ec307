from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from lapor_nlp.data.io import read_table, sniff_delimiter, write_table
from lapor_nlp.errors import DataValidationError


def test_reads_semicolon_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("teks;opd\njalan rusak, berlubang;PU\nsampah;DLH\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.columns.tolist() == ["teks", "opd"]
    assert frame["teks"].tolist() == ["jalan rusak, berlubang", "sampah"]


@pytest.mark.parametrize(("suffix", "sep"), [(".csv", ","), (".csv", "\t"), (".tsv", "\t")])
def test_reads_other_delimiters(tmp_path: Path, suffix: str, sep: str) -> None:
    path = tmp_path / f"data{suffix}"
    path.write_text(f"a{sep}b\n1{sep}x\n2{sep}y\n", encoding="utf-8")
    assert read_table(path).to_dict("list") == {"a": ["1", "2"], "b": ["x", "y"]}


def test_reads_windows_1252_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes("teks,opd\ncaf\xe9 ramai,DLH\n".encode("cp1252"))
    assert read_table(path)["teks"].tolist() == ["caf\xe9 ramai"]


def test_reads_xlsx_written_with_openpyxl(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["teks", "opd", "nomor"])
    sheet.append(["jalan rusak", "PU", 12])
    sheet.append(["sampah", "DLH", None])
    path = tmp_path / "data.xlsx"
    book.save(path)
    frame = read_table(path)
    assert frame.columns.tolist() == ["teks", "opd", "nomor"]
    assert frame["opd"].tolist() == ["PU", "DLH"]
    assert frame["nomor"].iloc[0] == "12"
    assert pd.isna(frame["nomor"].iloc[1])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="file not found"):
        read_table(tmp_path / "nope.csv")


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"unsupported file type '\.json'"):
        read_table(path)


def test_unreadable_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    with pytest.raises(DataValidationError, match="cannot read"):
        read_table(path)


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataValidationError, match="empty"):
        read_table(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_then_read_round_trip(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame({"text": ["a; b", "c, d"], "opd": ["X", "Y"]})
    path = write_table(frame, tmp_path / "sub" / f"out{suffix}")
    assert read_table(path).to_dict("list") == frame.to_dict("list")


def test_write_rejects_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="unsupported extension"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.parquet")


def test_sniff_falls_back_to_first_line() -> None:
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("single") == ","
