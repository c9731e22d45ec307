"""The agency crosswalk: other regions' agencies mapped to the Kaltim OPD with the same function.

``training/crosswalk/agencies.csv`` holds one line per agency name of the Surabaya and
Kab. Bandung exports (as cleaned by the standard agency task, kecamatan/kelurahan/desa folded
into ``KEWILAYAHAN``), with the OPD code doing that job in Kalimantan Timur, or ``none`` where
no provincial OPD does, and the rule behind it. It turns those exports into an evaluation of
the Kaltim model on real text; the mapped rows are never training rows of a shipped model.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lapor_nlp.data.labels import clean_label, merge_territorial
from lapor_nlp.data.real import RAW_AGENCY_EXPORTS
from lapor_nlp.errors import DataValidationError
from lapor_nlp.paths import CROSSWALK_FILE

NO_OPD = "none"
COLUMNS = ("region", "agency", "opd", "rule")


@dataclass(frozen=True)
class CrosswalkLine:
    """One agency of one region; ``opd`` is None where no provincial OPD does its job."""

    region: str
    agency: str
    opd: str | None
    rule: str


@dataclass(frozen=True)
class MappedReports:
    """A region's real reports whose agency maps to a Kaltim OPD (texts deduplicated)."""

    region: str
    texts: list[str]
    opd: list[str]
    agency: list[str]
    unmapped_texts: list[str]  # reports of agencies mapped to ``none`` (kelurahan, …)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def unmapped(self) -> int:
        return len(self.unmapped_texts)


def load_crosswalk(
    path: Path = CROSSWALK_FILE, *, opd_codes: Iterable[str] | None = None
) -> list[CrosswalkLine]:
    """Read and check the crosswalk: its columns, a rule on every line, one line per agency.

    With ``opd_codes`` every mapped code must be one of them.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DataValidationError(f"{path}: columns must be {','.join(COLUMNS)}")
        lines = [_line(row, path, n) for n, row in enumerate(reader, start=2)]
    known = None if opd_codes is None else set(opd_codes)
    seen: set[tuple[str, str]] = set()
    for line in lines:
        key = (line.region, line.agency)
        if key in seen:
            raise DataValidationError(f"{path}: {line.region} {line.agency!r} appears twice")
        seen.add(key)
        if known is not None and line.opd is not None and line.opd not in known:
            raise DataValidationError(f"{path}: unknown OPD code {line.opd!r} for {line.agency!r}")
    return lines


def region_agencies(region: str, data_dir: Path | None = None) -> list[str]:
    """Every cleaned agency name of a region's export, before any pruning (empty labels out)."""
    _, labels = RAW_AGENCY_EXPORTS[region](data_dir)
    return sorted({label for label in _clean_labels(labels) if label})


def load_mapped_reports(
    region: str, data_dir: Path | None = None, *, crosswalk: list[CrosswalkLine] | None = None
) -> MappedReports:
    """A region's reports with their agency mapped to a Kaltim OPD by the crosswalk.

    Texts are built as in the standard agency task (title + ". " + body where the export has
    a title), stripped; empty texts, unlabelled rows and exact duplicates (first kept) are
    dropped, then rows whose agency maps to ``none``. An agency missing from the crosswalk
    is an error naming it.
    """
    if region not in RAW_AGENCY_EXPORTS:
        raise DataValidationError(
            f"unknown region {region!r}; known: {', '.join(sorted(RAW_AGENCY_EXPORTS))}"
        )
    lines = {line.agency: line for line in (crosswalk or load_crosswalk()) if line.region == region}
    raw_texts, raw_labels = RAW_AGENCY_EXPORTS[region](data_dir)
    out = MappedReports(region=region, texts=[], opd=[], agency=[], unmapped_texts=[])
    seen: set[str] = set()
    for raw, label in zip(raw_texts, _clean_labels(raw_labels), strict=True):
        text = "" if raw is None or raw != raw else str(raw).strip()
        if not text or not label or text in seen:
            continue
        seen.add(text)
        line = lines.get(label)
        if line is None:
            raise DataValidationError(f"{region}: agency {label!r} has no line in the crosswalk")
        if line.opd is None:
            out.unmapped_texts.append(text)
            continue
        out.texts.append(text)
        out.opd.append(line.opd)
        out.agency.append(label)
    return out


def _clean_labels(labels: Iterable[object]) -> list[str]:
    return merge_territorial([clean_label(label) for label in labels])


def _line(row: dict[str, str], path: Path, n: int) -> CrosswalkLine:
    values = {key: (row.get(key) or "").strip() for key in COLUMNS}
    missing = [key for key in COLUMNS if not values[key]]
    if missing:
        raise DataValidationError(f"{path} line {n}: empty {', '.join(missing)}")
    opd = None if values["opd"] == NO_OPD else values["opd"]
    return CrosswalkLine(values["region"], values["agency"], opd, values["rule"])
