"""The agency crosswalk: valid codes and rules, and (with the real exports) one line per agency."""

from __future__ import annotations

from pathlib import Path

import pytest

from lapor_nlp.data.crosswalk import (
    CrosswalkLine,
    load_crosswalk,
    load_mapped_reports,
    region_agencies,
)
from lapor_nlp.data.real import RAW_AGENCY_EXPORTS
from lapor_nlp.errors import DataValidationError
from lapor_nlp.taxonomy import load_default_taxonomy


def test_every_line_maps_to_a_known_code_or_none_with_a_rule() -> None:
    lines = load_crosswalk(opd_codes=load_default_taxonomy().opd_codes)
    assert {line.region for line in lines} == set(RAW_AGENCY_EXPORTS)
    assert all(line.rule for line in lines)
    assert any(line.opd is None for line in lines)  # kelurahan/kecamatan at least
    territorial = [line for line in lines if line.agency == "KEWILAYAHAN"]
    assert territorial and all(line.opd is None for line in territorial)


def test_unknown_code_and_duplicate_line_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "cw.csv"
    path.write_text("region,agency,opd,rule\nsurabaya,Dinas X,NOPE,because\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="unknown OPD code 'NOPE'"):
        load_crosswalk(path, opd_codes={"DINSOS"})
    path.write_text(
        "region,agency,opd,rule\nsurabaya,Dinas X,DINSOS,a\nsurabaya,Dinas X,DLH,b\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError, match="appears twice"):
        load_crosswalk(path)
    path.write_text("region,agency,opd,rule\nsurabaya,Dinas X,DINSOS,\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="empty rule"):
        load_crosswalk(path)


@pytest.mark.realdata
@pytest.mark.parametrize("region", sorted(RAW_AGENCY_EXPORTS))
def test_every_agency_of_the_export_has_exactly_one_line(
    shared_data_dir: Path, region: str
) -> None:
    lines = [line.agency for line in load_crosswalk() if line.region == region]
    assert sorted(lines) == region_agencies(region, shared_data_dir)


@pytest.mark.realdata
def test_mapped_reports_drop_none_agencies_and_refuse_unknown_ones(shared_data_dir: Path) -> None:
    mapped = load_mapped_reports("bandung", shared_data_dir)
    assert len(mapped) > 1000 and mapped.unmapped > 0
    assert "KEWILAYAHAN" not in mapped.agency
    assert len(set(mapped.texts)) == len(mapped.texts)
    assert all(". " in text for text in mapped.texts[:50])  # title + ". " + body
    partial = [
        CrosswalkLine("bandung", "KEWILAYAHAN", None, "territorial"),
    ]
    with pytest.raises(DataValidationError, match="has no line in the crosswalk"):
        load_mapped_reports("bandung", shared_data_dir, crosswalk=partial)
