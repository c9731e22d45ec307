"""Agency mentions: the alias table, the transformer, what the router makes of a named agency."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from lapor_nlp.errors import DataValidationError
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.aliases import AgencyMentions
from lapor_nlp.taxonomy import load_default_taxonomy
from lapor_nlp.taxonomy.aliases import load_agency_aliases
from lapor_nlp.text import TextPreprocessor
from tests.lapor_nlp.model import corpus

# Training rows name agencies by abbreviation only; tests name them in full, so only the
# mention block (which maps both spellings to one column) can carry the name across.
NAMED = [
    ("sudah lapor ke DLH soal sampah tapi belum ada tindakan", "DLH", "LINGKUNGAN"),
    ("DLH tolong cek bau dari pabrik dekat rumah kami", "DLH", "LINGKUNGAN"),
    ("mohon DLH turun tangan, sungai makin kotor", "DLH", "LINGKUNGAN"),
    ("Dinsos belum juga mencairkan bantuan untuk lansia", "DINSOS", "SOSIAL"),
    ("laporan ke Dinsos soal DTKS tidak ditanggapi", "DINSOS", "SOSIAL"),
    ("mohon Dinsos data ulang warga miskin di RT kami", "DINSOS", "SOSIAL"),
    ("Disnaker mohon periksa perusahaan yang tidak bayar upah", "DISNAKERTRANS", "KETENAGAKERJAAN"),
    ("sudah mengadu ke Disnaker soal PHK belum ada kabar", "DISNAKERTRANS", "KETENAGAKERJAAN"),
    ("Disnaker tolong awasi kontrak kerja di pabrik", "DISNAKERTRANS", "KETENAGAKERJAAN"),
    ("PUPR mohon perbaiki jalan poros yang berlubang", "DPUPR", "INFRASTRUKTUR"),
    ("sudah lapor PUPR soal jembatan retak belum diperbaiki", "DPUPR", "INFRASTRUKTUR"),
    ("PUPR tolong cek drainase jalan yang tersumbat", "DPUPR", "INFRASTRUKTUR"),
]


def _fit(mentions: bool) -> ComplaintRouter:
    rows = corpus.ROWS + NAMED
    return ComplaintRouter(
        threshold_folds=2, min_df=1, agency_mentions=mentions, random_state=0
    ).fit([r[0] for r in rows], [r[1] for r in rows], nonroutable=corpus.NONROUTABLE)


@pytest.fixture(scope="module")
def with_mentions() -> ComplaintRouter:
    return _fit(True)


@pytest.fixture(scope="module")
def without_mentions() -> ComplaintRouter:
    return _fit(False)


def test_alias_table_covers_every_opd_with_known_codes() -> None:
    codes = load_default_taxonomy().opd_codes
    aliases = load_agency_aliases(opd_codes=codes)
    assert {a.opd for a in aliases} == codes


def test_alias_table_refuses_unknown_codes_and_repeated_aliases(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("opd,alias\nDISHUB,Dishub\nDLH,dishub\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="'dishub' already given for DISHUB"):
        load_agency_aliases(path)
    path.write_text("opd,alias\nNOPE,Dinas Nope\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="unknown OPD code 'NOPE'"):
        load_agency_aliases(path, opd_codes={"DISHUB"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lapor Dinas Pendidikan tentang SMA", {"DISDIKBUD"}),
        ("dinas pendidikan kota tidak merespon", {"DISDIKBUD"}),
        ("Disdikbud Provinsi Kaltim mohon dicek", {"DISDIKBUD"}),
        ("petugas satpol pp dan dishub razia parkir", {"SATPOLPP", "DISHUB"}),
        ("sudah ke SAMSAT bayar pajak motor", {"BAPENDA"}),
        ("jalan rusak parah di depan pasar", set()),
        ("hubungan dinas dengan warga kurang baik", set()),  # no alias as a whole run
    ],
)
def test_mentions_found_with_or_without_kota_and_provinsi(text: str, expected: set[str]) -> None:
    aliases = load_agency_aliases()
    pre = TextPreprocessor().fit([a.alias for a in aliases] + [text])
    mentions = AgencyMentions().fit(
        pre.transform([a.alias for a in aliases]), [a.opd for a in aliases]
    )
    row = mentions.transform(pre.transform([text])).toarray()[0]
    assert set(mentions.classes_[row > 0]) == expected


def test_transformer_checks_weight_and_pickles() -> None:
    with pytest.raises(ValueError, match="weight must be a positive number"):
        AgencyMentions(weight=0).fit(["dishub"], ["DISHUB"])
    fitted = AgencyMentions(weight=0.5).fit(["dishub", "dinas sosial"], ["DISHUB", "DINSOS"])
    copy = pickle.loads(pickle.dumps(fitted))
    docs = ["dinas sosial dan dishub", "tidak ada"]
    assert (copy.transform(docs) != fitted.transform(docs)).nnz == 0
    assert fitted.transform(docs).toarray().tolist() == [[0.5, 0.5], [0.0, 0.0]]


def test_router_adds_one_mention_column_per_opd(
    with_mentions: ComplaintRouter, without_mentions: ComplaintRouter
) -> None:
    docs = with_mentions.transform_texts(["tes"])
    width_on = with_mentions.vectorizer_.transform(
        docs, surface=with_mentions.surface_texts(["tes"])
    ).shape[1]
    width_off = without_mentions.vectorizer_.transform(
        without_mentions.transform_texts(["tes"]), surface=without_mentions.surface_texts(["tes"])
    )
    assert width_on - width_off.shape[1] == len(with_mentions.classes_)


def test_a_named_agency_lifts_its_opd(
    with_mentions: ComplaintRouter, without_mentions: ComplaintRouter
) -> None:
    text = ["mohon tindak lanjut dari Dinas Lingkungan Hidup atas laporan saya"]
    col = list(with_mentions.classes_).index("DLH")
    on = with_mentions.predict_proba(text)[0]
    off = without_mentions.predict_proba(text)[0]
    assert with_mentions.predict(text)[0] == "DLH"
    assert on[col] > off[col]


def test_a_named_agency_does_not_override_what_the_complaint_is_about(
    with_mentions: ComplaintRouter,
) -> None:
    text = [
        "jalan poros berlubang besar dan jembatan retak amblas, aspal mengelupas, "
        "motor jatuh, saya sudah lapor ke Dinas Sosial"
    ]
    assert with_mentions.predict(text)[0] == "DPUPR"


def test_router_with_mentions_survives_pickling(with_mentions: ComplaintRouter) -> None:
    copy = pickle.loads(pickle.dumps(with_mentions))
    text = ["Dinas Sosial belum cairkan PKH"]
    np.testing.assert_allclose(copy.predict_proba(text), with_mentions.predict_proba(text))
