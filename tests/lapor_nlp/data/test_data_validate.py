from __future__ import annotations

import pandas as pd
import pytest

from lapor_nlp.data.validate import validate_training_frame
from lapor_nlp.errors import DataValidationError, UnknownLabelError
from lapor_nlp.taxonomy import Label, Taxonomy


def frame(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_clean_frame_passes_with_labels_stripped() -> None:
    data = validate_training_frame(
        frame(t=[" jalan rusak ", "sampah", "lampu mati", "bau"], o=["PU ", "DLH", " PU", "DLH"]),
        text_col="t",
        opd_col="o",
    )
    assert data.texts == ["jalan rusak", "sampah", "lampu mati", "bau"]
    assert data.opd == ["PU", "DLH", "PU", "DLH"]
    assert data.category is None
    assert data.warnings == []
    assert data.n_rows_in == 4


def test_missing_column_names_it_and_lists_present() -> None:
    with pytest.raises(DataValidationError, match=r"missing column\(s\): 'opd'.*'teks', 'x'"):
        validate_training_frame(frame(teks=["a"], x=["b"]), text_col="teks", opd_col="opd")


def test_missing_category_column() -> None:
    with pytest.raises(DataValidationError, match="'kategori'"):
        validate_training_frame(
            frame(t=["a"], o=["b"]), text_col="t", opd_col="o", category_col="kategori"
        )


def test_empty_texts_dropped_with_count() -> None:
    data = validate_training_frame(
        frame(
            t=["a b", "", None, "   ", "c d", "e f", "g h"], o=["X", "X", "Y", "Y", "X", "Y", "Y"]
        ),
        text_col="t",
        opd_col="o",
    )
    assert len(data) == 4
    assert "dropped 3 row(s) with an empty text" in data.warnings[0]


def test_rows_without_label_dropped() -> None:
    data = validate_training_frame(
        frame(t=["a", "b", "c", "d", "e"], o=["X", "X", "Y", "Y", None]), text_col="t", opd_col="o"
    )
    assert len(data) == 4
    assert any("no label in 'o'" in w for w in data.warnings)


def test_unknown_labels_with_taxonomy_are_named() -> None:
    taxonomy = Taxonomy(opd=(Label("DINKES", "Dinas Kesehatan"), Label("DLH", "Lingkungan")))
    with pytest.raises(UnknownLabelError, match=r"'o'.*'DISHUB', 'PU'"):
        validate_training_frame(
            frame(t=["a", "b", "c", "d"], o=["DINKES", "PU", "DISHUB", "DLH"]),
            text_col="t",
            opd_col="o",
            taxonomy=taxonomy,
        )


def test_known_labels_with_taxonomy_pass() -> None:
    taxonomy = Taxonomy(opd=(Label("DINKES", "Dinas Kesehatan"), Label("DLH", "Lingkungan")))
    data = validate_training_frame(
        frame(t=["a", "b", "c", "d"], o=["DINKES", "DLH", "DINKES", "DLH"]),
        text_col="t",
        opd_col="o",
        taxonomy=taxonomy,
    )
    assert len(data) == 4


def test_singleton_class_dropped_with_warning_naming_it() -> None:
    data = validate_training_frame(
        frame(t=["a", "b", "c", "d", "e"], o=["X", "X", "Y", "Y", "Lonely"]),
        text_col="t",
        opd_col="o",
    )
    assert "Lonely" not in data.opd
    assert any("'Lonely' (1)" in w and "fewer than 2" in w for w in data.warnings)


def test_too_few_classes_is_an_error() -> None:
    with pytest.raises(DataValidationError, match=r"1 class\(es\).*need at least 2"):
        validate_training_frame(
            frame(t=["a", "b", "c"], o=["X", "X", "Y"]), text_col="t", opd_col="o"
        )


def test_no_usable_rows() -> None:
    with pytest.raises(DataValidationError, match="no usable rows"):
        validate_training_frame(frame(t=["", None], o=["X", "Y"]), text_col="t", opd_col="o")


def test_duplicates_warned_and_conflicts_counted() -> None:
    data = validate_training_frame(
        frame(t=["a", "a", "b", "c"], o=["X", "Y", "Y", "X"]), text_col="t", opd_col="o"
    )
    assert len(data) == 4
    assert any("1 duplicate text(s)" in w and "different agency" in w for w in data.warnings)


def test_category_column_validated_too() -> None:
    data = validate_training_frame(
        frame(
            t=["a", "b", "c", "d", "e"],
            o=["X", "X", "Y", "Y", "Y"],
            c=["jalan", "jalan", "sampah", "sampah", "rare"],
        ),
        text_col="t",
        opd_col="o",
        category_col="c",
    )
    assert data.category == ["jalan", "jalan", "sampah", "sampah"]
    assert data.opd == ["X", "X", "Y", "Y"]
