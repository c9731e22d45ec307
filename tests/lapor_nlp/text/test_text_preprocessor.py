"""Step 8: the TextPreprocessor transformer."""

import pickle
from pathlib import Path

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from lapor_nlp.text import TextPreprocessor

CORPUS = [
    "Jln di Loa Janan rusak parah, tlg diperbaiki",
    "Air PDAM gak ngalir sdh 3 hari di Palaran",
    "Lampu jalan mati di Sempaja, gelap bgt",
    "PDAM Tirta Kencana air keruh dan bau",
    "Jalan berlubang di Tenggarong belum diperbaiki",
    "Listrik PLN padam terus di Sangatta",
    "Pemadaman listrik PLN tanpa pemberitahuan",
    "Air ledeng tidak keluar, PDAM tolong dicek",
]
LABELS = ["PUPR", "PDAM", "PUPR", "PDAM", "PUPR", "PLN", "PLN", "PDAM"]


@pytest.fixture(scope="module")
def prep() -> TextPreprocessor:
    return TextPreprocessor().fit(CORPUS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jln di Loa Janan rusak bangeeet!!!", "jalan loa janan rusak"),
        ("Air PDAM gak ngalir", "air pdam tidak alir"),
        ("warga Bekasi dan Bali", "warga bekasi bali"),
        ("berikan bantuan relawan", "beri bantu relawan"),
        ("layanan perbankan", "layan bank"),
        ("Sy tinggal di Penajam, Kutai", "tinggal penajam kutai"),
        ("KTP saya blm jadi di Disdukcapil", "ktp belum disdukcapil"),
        ("E-KTP dan jalan2", "e_ktp jalan"),
        ("NIK 6472010101900001 hp 081234567890", "nik __nik__ ponsel __telepon__"),
        ("lapor.go.id budi@mail.com", "__url__ __email__"),
        ("Rp 1.750.000 di RT 04", "rp rt 04"),
    ],
)
def test_transform(prep: TextPreprocessor, text: str, expected: str) -> None:
    assert prep.transform([text]) == [expected]


@pytest.mark.parametrize("text", ["", "   \n\t ", "😡😡👍", "\x00\x01\x02", "<br/>&nbsp;"])
def test_transform_of_empty_input(prep: TextPreprocessor, text: str) -> None:
    assert prep.transform([text]) == [""]


def test_transform_of_a_long_document(prep: TextPreprocessor) -> None:
    text = ("jalan rusak di Samarinda hub 081234567890 " * 2_500)[:100_000]
    assert len(text) == 100_000
    (out,) = prep.transform([text])
    assert out.split()[:5] == ["jalan", "rusak", "samarinda", "hubung", "__telepon__"]


def test_transform_of_control_characters(prep: TextPreprocessor) -> None:
    assert prep.transform(["air\x00PDAM\x1b[0mmati\u200b"]) == ["air pdam 0mmati"]


def test_analyze_pairs_surface_words_with_features(prep: TextPreprocessor) -> None:
    assert prep.analyze("Jln gak diperbaiki, NIK 6472010101900001 dll") == [
        ("Jln", "jalan"),
        ("gak", "tidak"),
        ("diperbaiki", "baik"),
        ("NIK", "nik"),
        ("[NIK]", "__nik__"),
    ]


def test_transform_and_analyze_agree(prep: TextPreprocessor) -> None:
    for doc in CORPUS:
        assert prep.transform([doc])[0].split() == [f for _, f in prep.analyze(doc)]


def test_fit_learns_the_stem_table(prep: TextPreprocessor) -> None:
    assert prep.stem_table_["diperbaiki"] == "baik"
    assert "pdam" not in prep.stem_table_  # protected words never reach the stemmer
    assert "di" not in prep.stem_table_  # nor do stopwords


def test_stopwords_parameter(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("jalan\n", encoding="utf-8")
    by_path = TextPreprocessor(stopwords=path).fit([])
    by_list = TextPreprocessor(stopwords=["jalan"]).fit([])
    assert by_path.transform(["jalan di sana"]) == ["di sana"]
    assert by_list.transform(["jalan di sana"]) == ["di sana"]


def test_switches() -> None:
    plain = TextPreprocessor(expand_slang=False, stem=False, stopwords=[]).fit([])
    assert plain.transform(["yg diperbaiki jalan2"]) == ["yg diperbaiki jalan2"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"stem_cache_size": -1}, "stem_cache_size"),
        ({"stem_cache_size": True}, "stem_cache_size"),
        ({"n_jobs": 0}, "n_jobs"),
        ({"expand_slang": "yes"}, "expand_slang"),
        ({"stopwords": 3}, "stopwords"),
        ({"protected": [1]}, "protected"),
    ],
)
def test_invalid_parameters_are_named_at_fit(params: dict[str, object], name: str) -> None:
    prep = TextPreprocessor(**params)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=f"'{name}' parameter"):
        prep.fit(CORPUS)


def test_input_checks(prep: TextPreprocessor) -> None:
    with pytest.raises(ValueError, match="single string"):
        prep.transform("jalan rusak")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="document 1 is NoneType"):
        prep.transform(["ok", None])  # type: ignore[list-item]


def test_transform_needs_fit() -> None:
    with pytest.raises(NotFittedError):
        TextPreprocessor().transform(["jalan"])


def test_params_are_stored_untouched() -> None:
    stop = ["a"]
    prep = TextPreprocessor(stopwords=stop, n_jobs=2)
    assert prep.get_params()["stopwords"] is stop
    assert clone(prep).get_params()["n_jobs"] == 2
    with pytest.raises(TypeError):
        TextPreprocessor(["a"])  # type: ignore[misc]


def test_pickle_round_trip(prep: TextPreprocessor) -> None:
    prep.transform(CORPUS)  # fills the memo, which must not travel
    restored = pickle.loads(pickle.dumps(prep))
    assert "_memo" not in restored.__dict__
    assert restored.stem_table_ == prep.stem_table_
    assert restored.transform(CORPUS) == prep.transform(CORPUS)


def test_inside_a_pipeline() -> None:
    pipe = Pipeline(
        [
            ("prep", TextPreprocessor()),
            ("tfidf", TfidfVectorizer()),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )
    pipe.fit(CORPUS, LABELS)
    assert "pdam" in pipe.named_steps["tfidf"].vocabulary_
    assert list(pipe.predict(["air PDAM mati di Palaran"])) == ["PDAM"]
    restored = pickle.loads(pickle.dumps(pipe))
    assert list(restored.predict(CORPUS)) == list(pipe.predict(CORPUS))


def test_parallel_transform_matches_serial(prep: TextPreprocessor) -> None:
    docs = CORPUS * 300  # 2,400 documents: above the parallel threshold
    parallel = clone(prep).set_params(n_jobs=2).fit(CORPUS)
    assert parallel.transform(docs) == prep.transform(docs)


def test_empty_stem_table_round_trip() -> None:
    prep = TextPreprocessor().fit([])
    assert pickle.loads(pickle.dumps(prep)).stem_table_ == {}


@pytest.mark.parametrize(
    ("doc", "pairs"),
    [
        ("bayar Rp 2.500.000 ke oknum", [("bayar", "bayar"), ("Rp 2.500.000", "rp")]),
        ("biaya Rp.150.000,- per siswa", [("biaya", "biaya"), ("Rp.150.000", "rp")]),
        ("RP. 7.500,50 saja", [("RP. 7.500,50", "rp")]),
        ("rugi 1.250.000.000 rupiah", [("rugi", "rugi"), ("1.250.000.000", "1250000000")]),
    ],
)
def test_amounts_and_thousands_are_one_token(
    prep: TextPreprocessor, doc: str, pairs: list[tuple[str, str]]
) -> None:
    assert prep.analyze(doc)[: len(pairs)] == pairs
    assert prep.transform([doc])[0].split() == [f for _, f in prep.analyze(doc)]
    assert "000" not in prep.transform([doc])[0].split()


@pytest.mark.parametrize(
    ("doc", "features"),
    [
        ("tgl 12.05.2024 jam 10.30", "tanggal 12 05 2024 jam 10 30"),
        ("ada 3 lubang di km 5", "3 lubang km 5"),
        ("kode 2.500.0001", "kode 2 500 0001"),  # not a thousands-separated number
        ("xrp 2.000", "xrp 2000"),  # "rp" only as a word of its own
        ("honor Rp 2,3 juta", "honor rp 2 3 juta"),  # not an amount of its own
    ],
)
def test_other_numbers_are_tokenised_as_before(
    prep: TextPreprocessor, doc: str, features: str
) -> None:
    assert prep.transform([doc]) == [features]


def test_amounts_stay_unmasked_and_phone_numbers_masked(prep: TextPreprocessor) -> None:
    (out,) = prep.transform(["bayar Rp 2.500.000, hub 0812.3456.7890"])
    assert out == "bayar rp hubung __telepon__"


SEED_FEATURES_SHA256 = "d3487d4e70fe5b307247befe1aa08c6444dfaf63fb31a2c5e31a501754eb5fef"


def test_default_output_on_the_seed_data_is_unchanged() -> None:
    # The bundled model's features depend on these exact strings. The empty stem table sends
    # every word through the stemmer; the fitted one answers from the table.
    import hashlib

    import pandas as pd

    from lapor_nlp.paths import TRAINING_DATA_DIR

    texts: list[str] = []
    for name in ("seed_complaints.csv", "seed_nonroutable.csv", "seed_not_authority.csv"):
        frame = pd.read_csv(TRAINING_DATA_DIR / name, dtype=str, keep_default_na=False)
        texts += [t for column in ("title", "text") if column in frame for t in frame[column]]
    fresh = TextPreprocessor().fit([]).transform(texts)
    fitted = TextPreprocessor().fit(texts).transform(texts)
    assert hashlib.sha256("\n".join(fresh).encode()).hexdigest() == SEED_FEATURES_SHA256
    assert fitted == fresh


def test_stem_table_keeps_only_the_most_frequent_words_and_transforms_the_same() -> None:
    """A national corpus's rare words (typos, names) stay out of the artifact, not out of the
    features: words past the limit are stemmed when met, with the same answer."""
    docs = ["jalan berlubang", "jalan berlubang lagi", "jalanan dijalankan mempermainkan"]
    bounded = TextPreprocessor(stem_table_size=2).fit(docs)
    full = TextPreprocessor(stem_table_size=None).fit(docs)
    assert set(bounded.stem_table_) <= {"jalan", "berlubang"}
    assert {"mempermainkan", "dijalankan", "jalanan"} <= set(full.stem_table_)
    texts = ["mempermainkan jalanan dijalankan berlubang", "jalan lagi"]
    assert bounded.transform(texts) == full.transform(texts)
    assert pickle.loads(pickle.dumps(bounded)).transform(texts) == full.transform(texts)


def test_a_preprocessor_pickled_before_stem_table_size_loads_and_clones() -> None:
    prep = TextPreprocessor().fit(CORPUS)
    del prep.__dict__["stem_table_size"]
    loaded = pickle.loads(pickle.dumps(prep))
    assert loaded.stem_table_size == 200_000
    assert clone(loaded).get_params()["stem_table_size"] == 200_000
    assert loaded.transform(["Air PDAM gak ngalir"]) == ["air pdam tidak alir"]


def test_stem_table_size_is_validated() -> None:
    with pytest.raises(ValueError, match="stem_table_size"):
        TextPreprocessor(stem_table_size=-1).fit(CORPUS)
