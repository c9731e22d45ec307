"""The held-out split of a training file never leaves the model a class it cannot learn."""

from pathlib import Path

import pandas as pd

from lapor_nlp.data.base import BASE_HELDOUT_SALT, base_data_spec, in_heldout, load_base_data
from lapor_nlp.model import ComplaintRouter

TOPICS = {
    "DLH": "sampah menumpuk di pinggir jalan dan bau busuk",
    "DPUPR": "jalan rusak berlubang besar membahayakan pengendara",
    "DINKES": "puskesmas tutup lebih awal pasien tidak dilayani",
}


def _text_with(held_out: bool, stem: str, fraction: float) -> str:
    """A complaint text that the split holds out (or keeps), found by trying numbered variants."""
    n = 0
    while in_heldout(f"{stem} nomor {n}", fraction, BASE_HELDOUT_SALT) != held_out:
        n += 1
    return f"{stem} nomor {n}"


def test_an_agency_left_with_one_training_row_by_the_split_is_dropped_with_a_warning(
    tmp_path: Path,
) -> None:
    fraction = 0.3
    rows = [
        {"text": f"{text} di rt {i}", "opd": opd, "category": f"{opd}-umum"}
        for opd, text in TOPICS.items()
        for i in range(12)
    ]
    rare = "pasar kumuh pedagang berjualan di trotoar"
    rows += [
        {"text": _text_with(False, rare, fraction), "opd": "DISPERINDAG", "category": "pasar"},
        {"text": _text_with(True, rare, fraction), "opd": "DISPERINDAG", "category": "pasar"},
    ]
    path = tmp_path / "rows.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    spec = base_data_spec(
        path,
        text_col="text",
        opd_col="opd",
        category_col="category",
        nonroutable_path=None,
        heldout_fraction=fraction,
    )
    data = load_base_data(spec)

    assert "DISPERINDAG" not in data.train.opd
    assert any("DISPERINDAG" in w for w in data.warnings)
    router = ComplaintRouter(threshold_folds=2, random_state=0).fit(
        data.train.texts, data.train.opd, data.train.category
    )
    assert set(router.classes_) == set(TOPICS)


def test_a_category_seen_once_trains_the_opd_head_but_not_the_category_head() -> None:
    texts = [f"{text} di rt {i}" for text in TOPICS.values() for i in range(6)]
    opd = [code for code in TOPICS for _ in range(6)]
    category = [f"{code}-umum" for code in TOPICS for _ in range(6)]
    texts.append("jalan desa berlubang dan becek saat hujan")
    opd.append("DPUPR")
    category.append("jalan-desa")  # one row: nothing to cross-fit or calibrate it on

    router = ComplaintRouter(threshold_folds=3, random_state=0).fit(texts, opd, category)

    assert "jalan-desa" not in set(router.category_classes_)
    assert set(router.category_classes_) == {f"{code}-umum" for code in TOPICS}
    assert router.predict(["jalan desa berlubang dan becek saat hujan"])[0] == "DPUPR"
