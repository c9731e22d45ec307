"""The structured-field block: place words and channel read beside the text, never glued to it."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from lapor_nlp.data.fields import ComplaintFields
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.field_features import FieldFeatures, area_name, field_tokens, place_words
from tests.lapor_nlp.model import corpus

# Two territorial offices get the same complaints; only the place tells them apart.
SAME_TEXTS = [
    "jalan lingkungan rusak berlubang mohon diperbaiki",
    "lampu penerangan jalan gang mati sudah seminggu",
    "saluran air tersumbat sampah dan meluap ke jalan",
    "pengurusan surat keterangan domisili lama sekali",
    "pohon tumbang menutup jalan kampung belum dipotong",
    "warga mengeluh parkir liar di depan balai warga",
]
NORTH = ComplaintFields(address="Jl. Mawar Utara No. 12 RT 03 RW 05", kecamatan="Kec. Utara Jaya")
SOUTH = ComplaintFields(address="Gg. Melati Selatan 4/17", kecamatan="Selatan Raya")


def _rows() -> tuple[list[str], list[str], list[ComplaintFields | None]]:
    texts: list[str] = []
    labels: list[str] = []
    fields: list[ComplaintFields | None] = []
    for i in range(4):
        for text in SAME_TEXTS:
            for office, where in (("KEC_UTARA", NORTH), ("KEC_SELATAN", SOUTH)):
                texts.append(f"{text} laporan {i}")
                labels.append(office)
                fields.append(where)
    texts += corpus.texts()  # rows without fields (an older export, the seed data)
    labels += corpus.opd()
    fields += [None] * len(corpus.texts())
    return texts, labels, fields


@pytest.fixture(scope="module")
def with_fields() -> ComplaintRouter:
    texts, labels, fields = _rows()
    return ComplaintRouter(threshold_folds=2, min_df=1, random_state=0).fit(
        texts, labels, fields=fields
    )


@pytest.fixture(scope="module")
def without_fields() -> ComplaintRouter:
    texts, labels, _ = _rows()
    return ComplaintRouter(threshold_folds=2, min_df=1, random_state=0).fit(texts, labels)


def test_house_numbers_and_rt_rw_never_become_features() -> None:
    assert place_words("Jl. Mawar No.12 RT 03/RW 05 blok C-7, 081234567890") == [
        "jalan",
        "mawar",
    ]
    assert area_name("KEC. Pucang  Sewu") == "pucang_sewu"
    block = FieldFeatures(min_df=1).fit([NORTH, SOUTH, NORTH])
    names = list(block.get_feature_names_out())
    assert not [n for n in names if any(ch.isdigit() for ch in n)], names
    assert not [n for n in names if n in {"a:rt", "a:rw", "a:no"}], names
    assert "kec:utara_jaya" in names and "a:jalan_mawar" in names


def test_personal_data_in_an_address_is_masked_before_it_is_read() -> None:
    tokens = field_tokens(ComplaintFields(address="rumah budi.santoso@example.com jl mawar"))
    assert "budi" not in tokens and "santoso" not in tokens and "example" not in tokens
    assert "a:mawar" in tokens


def test_the_place_decides_between_two_offices_with_the_same_text(
    with_fields: ComplaintRouter,
) -> None:
    assert with_fields.uses_fields
    text = ["jalan lingkungan rusak berlubang mohon diperbaiki"] * 2
    where = [
        ComplaintFields(kecamatan="UTARA JAYA"),
        ComplaintFields(address="gang melati selatan"),
    ]
    assert list(with_fields.predict(text, where)) == ["KEC_UTARA", "KEC_SELATAN"]
    routed = with_fields.route(text, fields=where, explain=False)
    assert [d.opd[0].code for d in routed] == ["KEC_UTARA", "KEC_SELATAN"]


def test_rows_without_fields_get_an_empty_block(with_fields: ComplaintRouter) -> None:
    text = ["sampah menumpuk di TPS dan tidak diangkut, bau busuk"]
    vectorizer = with_fields.vectorizer_
    width = len(vectorizer.fields_.tfidf_.vocabulary_)
    docs, surface = with_fields.transform_texts(text), with_fields.surface_texts(text)
    plain = vectorizer.transform(docs, surface=surface)
    empty = vectorizer.transform(docs, fields=[ComplaintFields()], surface=surface)
    assert plain[:, -width:].nnz == 0 and (plain != empty).nnz == 0
    assert vectorizer.transform(docs, fields=[NORTH], surface=surface)[:, -width:].nnz > 0
    assert with_fields.predict(text)[0] == "DLH"


def test_a_model_trained_without_fields_ignores_them(without_fields: ComplaintRouter) -> None:
    assert not without_fields.uses_fields
    text = ["jalan lingkungan rusak berlubang mohon diperbaiki"] * 2
    np.testing.assert_array_equal(
        without_fields.predict_proba(text, [NORTH, SOUTH]), without_fields.predict_proba(text)
    )
    assert [d.opd for d in without_fields.route(text, fields=[NORTH, SOUTH])] == [
        d.opd for d in without_fields.route(text)
    ]


def test_fields_must_align_with_the_texts(with_fields: ComplaintRouter) -> None:
    with pytest.raises(ValueError, match="fields has 1 rows for 2"):
        with_fields.predict(["jalan rusak", "sampah"], [NORTH])
    texts, labels, fields = _rows()
    with pytest.raises(ValueError, match="fields has"):
        ComplaintRouter(threshold_folds=2).fit(texts, labels, fields=fields[:-1])


def test_a_model_with_fields_survives_pickling(with_fields: ComplaintRouter) -> None:
    copy = pickle.loads(pickle.dumps(with_fields))
    text = ["lampu penerangan jalan gang mati"] * 2
    np.testing.assert_array_equal(
        copy.predict_proba(text, [NORTH, SOUTH]), with_fields.predict_proba(text, [NORTH, SOUTH])
    )


def test_a_model_pickled_before_fields_existed_loads_and_routes_unchanged(
    without_fields: ComplaintRouter,
) -> None:
    old = pickle.loads(pickle.dumps(without_fields))
    del old.__dict__["field_weight"]
    del old.vectorizer_.__dict__["field_weight"]
    del old.vectorizer_.__dict__["fields_"]
    loaded = pickle.loads(pickle.dumps(old))
    assert loaded.field_weight == 1.0 and loaded.vectorizer_.field_weight == 1.0
    assert not loaded.uses_fields
    assert clone(loaded).get_params()["field_weight"] == 1.0
    text = ["saluran air tersumbat sampah", "gaji di bawah UMP"]
    np.testing.assert_array_equal(
        loaded.predict_proba(text, [NORTH, None]), without_fields.predict_proba(text)
    )
