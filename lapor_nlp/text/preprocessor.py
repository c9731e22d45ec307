"""Step 8: the whole text pipeline as a scikit-learn transformer."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from numbers import Integral
from typing import Any, ClassVar

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, InvalidParameterError
from sklearn.utils.validation import check_is_fitted

from lapor_nlp.loading import DefaultsOnLoad
from lapor_nlp.text.mask import mask_personal_data
from lapor_nlp.text.normalize import clean_text
from lapor_nlp.text.protected import load_protected
from lapor_nlp.text.slang import load_lexicon
from lapor_nlp.text.stem import DEFAULT_CACHE_SIZE
from lapor_nlp.text.stopwords import load_stopwords
from lapor_nlp.text.tokens import (
    PLACEHOLDER_FEATURES,
    SURFACE_TOKEN_RE,
    FeatureMaker,
    join_currency,
)

__all__ = ["Analysis", "TextPreprocessor"]

DEFAULT_STEM_TABLE_SIZE = 200_000
"""Training chunks stemmed into ``stem_table_``: the seed data has far fewer; a national corpus,
with its typos and names, has millions, which would swell the artifact and ``fit``."""
PARALLEL_MIN_DOCS = 2_000
"""Below this many documents ``transform`` never starts worker processes."""
_MEMO_SIZE = 100_000
_NOVEL_MEMO_SIZE = 20_000


def _is_word_source(value: object) -> bool:
    if value is None or isinstance(value, str | os.PathLike):
        return True
    if isinstance(value, list | tuple | set | frozenset):
        return all(isinstance(v, str) for v in value)
    return False


def _is_protected_source(value: object) -> bool:
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return _is_word_source(value)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_cache_size(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool) and int(value) >= 0


def _is_n_jobs(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, Integral) and not isinstance(value, bool) and int(value) != 0


@dataclass(frozen=True)
class Analysis:
    """A text as the model reads it: the masked text and, in order, ``(start, end, feature)``
    of every feature token, ``text[start:end]`` being the word it came from."""

    text: str
    spans: list[tuple[int, int, str]]

    @property
    def features(self) -> str:
        """The feature tokens, space-separated (equal to ``transform`` of the text)."""
        return " ".join(feature for _, _, feature in self.spans)


class _Memo(dict[str, str]):
    """Chunk -> its features followed by one space ("" for none) for the known vocabulary.

    The trailing space lets ``transform`` build a document with one ``"".join``.

    Hits are plain dict lookups, which keeps the hot path of ``transform`` in C. Chunks with
    a word outside every word list (typos, names, noise) go to a small side dict instead, so
    a stream of never-seen words cannot fill this one. Both empty themselves when full.
    """

    def __init__(self, maker: FeatureMaker, capacity: int, novel_capacity: int) -> None:
        super().__init__()
        self.maker = maker
        self.capacity = capacity
        self.novel_capacity = novel_capacity
        self.novel: dict[str, str] = {}

    def __missing__(self, key: str) -> str:
        value = self.novel.get(key)
        if value is not None:
            return value
        features = self.maker.chunk_features(key)
        value = features + " " if features else ""
        table = self.novel if self.maker.novel else self
        if len(table) >= (self.novel_capacity if table is self.novel else self.capacity):
            table.clear()
        table[key] = value
        return value


def _transform_chunk(estimator: TextPreprocessor, docs: list[str]) -> list[str]:
    """Worker-side transform of one chunk (module level so that it pickles)."""
    return estimator._transform_docs(docs)


def _most_frequent(counts: Counter[str], limit: int | None) -> list[str]:
    """The ``limit`` most frequent chunks (ties alphabetically, so fits are reproducible)."""
    chunks = sorted(counts)
    if limit is None or len(chunks) <= limit:
        return chunks
    return sorted(chunks, key=lambda chunk: -counts[chunk])[:limit]


def _as_documents(X: Iterable[str]) -> list[str]:
    if isinstance(X, str | bytes):
        raise ValueError("an iterable of documents is expected, got a single string")
    docs = list(X)
    for index, doc in enumerate(docs):
        if not isinstance(doc, str):
            raise ValueError(f"document {index} is {type(doc).__name__}, expected str")
    return docs


class TextPreprocessor(DefaultsOnLoad, TransformerMixin, BaseEstimator):
    """Raw Indonesian complaint text to space-separated feature tokens.

    Steps: Unicode NFKC, HTML and control characters removed; personal data masked
    (placeholders become tokens such as ``__nik__``); lower-cased; repeated letters
    squashed, punctuation and emoji dropped; slang expanded; stopwords removed; protected
    words kept; the rest stemmed with Sastrawi. ``fit`` learns ``stem_table_`` for the
    training vocabulary, so a fresh process rarely has to call the stemmer.

    Parameters
    ----------
    stopwords : None, path or list of str, default=None
        None for the shipped list (Sastrawi's minus negations and routing words, plus the
        project's); a path to a one-word-per-line file; or the words.
    protected : None, path, list of str or dict, default=None
        Words never stemmed. None for the shipped list (Kalimantan Timur place names,
        agency acronyms, corrected stems); see :func:`lapor_nlp.text.protected.load_protected`.
    expand_slang : bool, default=True
        Expand slang, abbreviations and ``word2`` reduplications with the shipped lexicon.
    stem : bool, default=True
        Stem words with Sastrawi.
    stem_cache_size : int, default=200_000
        Entries of the process's LRU cache of Sastrawi results.
    stem_table_size : int or None, default=200_000
        At most this many of the training corpus's most frequent words (chunks) are stemmed in
        ``fit`` into ``stem_table_``, which the artifact carries; rarer ones (at national volume
        mostly typos and names) are stemmed when met, through the bounded caches. None: all.
    n_jobs : int or None, default=None
        Worker processes for ``transform`` of more than 2,000 documents (None or 1: none,
        -1: all CPUs). Each worker receives a pickled copy and starts cold; on the 2-CPU
        benchmark machine this was slower than one process (see ``benchmarks/preprocess.py``),
        so leave it unset unless measured faster on the target machine.

    Attributes
    ----------
    stopwords_ : frozenset of str
    protected_ : dict of str to str
        Protected word -> feature token.
    lexicon_ : dict of str to str
        Slang lexicon in use (empty when ``expand_slang=False``).
    stem_table_ : dict of str to str
        Word -> stem for the words of the training vocabulary's ``stem_table_size`` most
        frequent chunks that reached the stemmer.

    Examples
    --------
    >>> prep = TextPreprocessor().fit(["Jalan rusak"])
    >>> prep.transform(["Jln di Loa Janan rusak bangeeet, gak diperbaiki2!! hub 081234567890"])
    ['jalan loa janan rusak tidak baik hubung __telepon__']
    >>> prep.analyze("PDAM gak ngalir")
    [('PDAM', 'pdam'), ('gak', 'tidak'), ('ngalir', 'alir')]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "stopwords": [None, str, os.PathLike, list, tuple, set, frozenset],
        "protected": [None, str, os.PathLike, list, tuple, set, frozenset, Mapping],
        "expand_slang": ["boolean"],
        "stem": ["boolean"],
        "stem_cache_size": [Interval(Integral, 0, None, closed="left")],
        "stem_table_size": [None, Interval(Integral, 0, None, closed="left")],
        "n_jobs": [
            None,
            Interval(Integral, None, -1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
        ],
    }
    # What scikit-learn's constraints cannot say: the items of a word list, bool is not an int.
    _value_checks: ClassVar[dict[str, tuple[str, Callable[[object], bool]]]] = {
        "stopwords": ("None, a path or a list of str", _is_word_source),
        "protected": ("None, a path, a list of str or a dict of str", _is_protected_source),
        "expand_slang": ("a bool", _is_bool),
        "stem": ("a bool", _is_bool),
        "stem_cache_size": ("an int >= 0", _is_cache_size),
        "n_jobs": ("None or a non-zero int", _is_n_jobs),
    }

    def __init__(
        self,
        *,
        stopwords: str | os.PathLike[str] | list[str] | None = None,
        protected: str | os.PathLike[str] | list[str] | dict[str, str] | None = None,
        expand_slang: bool = True,
        stem: bool = True,
        stem_cache_size: int = DEFAULT_CACHE_SIZE,
        stem_table_size: int | None = DEFAULT_STEM_TABLE_SIZE,
        n_jobs: int | None = None,
    ) -> None:
        self.stopwords = stopwords
        self.protected = protected
        self.expand_slang = expand_slang
        self.stem = stem
        self.stem_cache_size = stem_cache_size
        self.stem_table_size = stem_table_size
        self.n_jobs = n_jobs

    def _check_params(self) -> None:
        self._validate_params()
        for name, (expected, is_valid) in self._value_checks.items():
            value = getattr(self, name)
            if not is_valid(value):
                raise InvalidParameterError(
                    f"The {name!r} parameter of {type(self).__name__} must be {expected}. "
                    f"Got {value!r} instead."
                )

    def fit(self, X: Iterable[str], y: object = None) -> TextPreprocessor:
        """Check the parameters, resolve the word lists and learn ``stem_table_``.

        Parameters
        ----------
        X : iterable of str
            Training documents.
        y : ignored

        Returns
        -------
        self
        """
        self._check_params()
        docs = _as_documents(X)
        self.stopwords_ = load_stopwords(self.stopwords)
        self.protected_ = load_protected(self.protected)
        self.lexicon_ = dict(load_lexicon()) if self.expand_slang else {}
        learned: dict[str, str] = {}
        maker = self._maker(stem_table={}, learned=learned)
        counts: Counter[str] = Counter()
        for doc in docs:
            counts.update(join_currency(mask_personal_data(clean_text(doc))).split())
        for chunk in _most_frequent(counts, self.stem_table_size):
            maker.chunk_features(chunk)
        self.stem_table_ = learned
        self._memo: _Memo | None = None
        return self

    def transform(self, X: Iterable[str]) -> list[str]:
        """Feature tokens of each document, space-separated.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        list of str
            One string per document ("" when nothing is left).
        """
        check_is_fitted(self, "stem_table_")
        docs = _as_documents(X)
        workers = self._worker_count(len(docs))
        if workers <= 1:
            return self._transform_docs(docs)
        from joblib import Parallel, delayed

        size = -(-len(docs) // workers)
        chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
        results = Parallel(n_jobs=workers)(delayed(_transform_chunk)(self, c) for c in chunks)
        return [text for chunk in results for text in chunk]

    def analyze(self, doc: str) -> list[tuple[str, str]]:
        """(surface word as written after masking, feature token) pairs, in order.

        A word that expands to several feature tokens gives several pairs; stopwords give
        none. Placeholders appear as written by the masking (``[NIK]``).

        Examples
        --------
        >>> TextPreprocessor().fit([]).analyze("Sy mau lapor NIK 6472010101900001")
        [('NIK', 'nik'), ('[NIK]', '__nik__')]
        """
        analysis = self.analyze_spans(doc)
        return [(analysis.text[start:end], feature) for start, end, feature in analysis.spans]

    def analyze_spans(self, doc: str) -> Analysis:
        """The masked text and where each feature token came from (for explanations).

        Examples
        --------
        >>> TextPreprocessor().fit([]).analyze_spans("Bayar Rp 50.000").spans
        [(0, 5, 'bayar'), (6, 15, 'rp')]
        """
        check_is_fitted(self, "stem_table_")
        text = mask_personal_data(clean_text(doc))
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters change length when lower-cased
            text = lowered
        maker = self._maker(stem_table=self.stem_table_, learned=None)
        spans: list[tuple[int, int, str]] = []
        for match in SURFACE_TOKEN_RE.finditer(lowered):
            token = PLACEHOLDER_FEATURES.get(match.group(0), match.group(0))
            start, end = match.span()
            spans.extend((start, end, f) for f in maker.features(token).split())
        return Analysis(text, spans)

    def _transform_docs(self, docs: list[str]) -> list[str]:
        features = self._feature_function()
        return [
            "".join(map(features, join_currency(mask_personal_data(clean_text(doc))).split()))[:-1]
            for doc in docs
        ]

    def _maker(self, stem_table: Mapping[str, str], learned: dict[str, str] | None) -> FeatureMaker:
        return FeatureMaker(
            lexicon=self.lexicon_,
            stopwords=self.stopwords_,
            protected=self.protected_,
            stem_table=stem_table,
            stem=self.stem,
            cache_size=self.stem_cache_size,
            learned=learned,
        )

    def _feature_function(self) -> Callable[[str], str]:
        """Chunk -> features plus a space, memoised in a bounded dict kept out of pickles."""
        memo: _Memo | None = getattr(self, "_memo", None)
        if memo is None:
            maker = self._maker(stem_table=self.stem_table_, learned=None)
            memo = _Memo(maker, _MEMO_SIZE, _NOVEL_MEMO_SIZE)
            self._memo = memo
        return memo.__getitem__

    def _worker_count(self, n_docs: int) -> int:
        if self.n_jobs is None or self.n_jobs == 1 or n_docs <= PARALLEL_MIN_DOCS:
            return 1
        cpus = os.cpu_count() or 1
        wanted = cpus + 1 + self.n_jobs if self.n_jobs < 0 else self.n_jobs
        return max(1, min(wanted, cpus, n_docs // PARALLEL_MIN_DOCS + 1))

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = dict(super().__getstate__())
        state.pop("_memo", None)
        table = state.pop("stem_table_", None)
        if table is not None:
            # Two strings unpickle far faster than a dict of many small strings (joblib
            # unpickles in Python), which is most of the cold start of a fresh process.
            state["_stem_table_packed"] = ("\n".join(table), "\n".join(table.values()))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        packed = state.pop("_stem_table_packed", None)
        if packed is not None:
            words, stems = packed
            state["stem_table_"] = (
                dict(zip(words.split("\n"), stems.split("\n"), strict=True)) if words else {}
            )
        super().__setstate__(state)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
