"""A model trained on complaints full of personal data carries none of it in its artifact."""

from __future__ import annotations

import pickle
from pathlib import Path

from lapor_nlp.model import ComplaintRouter
from lapor_nlp.registry import ModelRegistry, load_model_dir
from tests.lapor_nlp.model import corpus
from tests.pii_variants import leaks, variant_texts


def test_trained_artifact_holds_no_personal_data(tmp_path: Path) -> None:
    variants = variant_texts()
    texts = corpus.texts() + variants
    opd = corpus.opd() + [corpus.opd()[i % len(corpus.opd())] for i in range(len(variants))]
    router = ComplaintRouter(threshold_folds=2, min_df=1).fit(texts, opd)
    registry = ModelRegistry(tmp_path)
    version = registry.register(router, {"version": "pii-check"})
    loaded = load_model_dir(registry.path_of(version))

    vocabulary = " ".join(str(term) for term in loaded.router.word_feature_names_)
    stems = " ".join(loaded.router.preprocessor_.stem_table_)
    raw = pickle.dumps(loaded.router).decode("latin-1")
    assert vocabulary and stems
    for where in (vocabulary, stems, raw):
        assert leaks(where) == []
