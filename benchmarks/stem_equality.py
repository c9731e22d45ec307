"""Equality and speed of the project's stemming against plain PySastrawi on the real exports.

Run by hand (needs ../shared/data)::

    .venv/bin/python benchmarks/stem_equality.py [--repeats 3]

Words: every distinct ``[a-z]+(-[a-z]+)*`` word of the lower-cased texts of the real exports
(:func:`lapor_nlp.text.stem_check.export_words`; the reserved acceptance export is not read),
plus every word that reaches the stemming step when ``TextPreprocessor`` is fitted on those
texts (after slang expansion and squashing of repeated letters). Each word is stemmed by
``stem_word`` (shortcuts + ``FastStemmer``), by ``FastStemmer`` alone and by an untouched
``Sastrawi.Stemmer.Stemmer.Stemmer``; any difference is a mismatch. Speed: the words that
``stem_word`` sends to the stemmer, each stemmed once, uncached, by both stemmers in the same
process, alternately; medians over ``--repeats`` passes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from lapor_nlp.data.real import raw_bandung_agency, raw_surabaya_agency
    from lapor_nlp.text import TextPreprocessor
    from lapor_nlp.text.stem import (
        _NO_AFFIX_RE,
        _STEMMABLE_RE,
        _sastrawi,
        root_words,
        sastrawi_may_change,
    )
    from lapor_nlp.text.stem_check import export_words, plain_sastrawi, stem_mismatches

    raw_words = export_words()
    texts = [str(t) for t in raw_surabaya_agency()[0] + raw_bandung_agency()[0] if t == t]
    pipeline_words = sorted(TextPreprocessor().fit(texts).stem_table_)
    words = sorted(set(raw_words) | set(pipeline_words))
    started = time.perf_counter()
    mismatches = stem_mismatches(words)
    check_seconds = time.perf_counter() - started

    roots = root_words()
    sent = [  # the routing of stem_word
        w
        for w in words
        if _STEMMABLE_RE.fullmatch(w)
        and (
            "-" in w
            or (w not in roots and not _NO_AFFIX_RE.fullmatch(w) and sastrawi_may_change(w))
        )
    ]
    stemmers = {"PySastrawi `Stemmer.stem_word`": plain_sastrawi(), "FastStemmer": _sastrawi()}
    times: dict[str, list[float]] = {name: [] for name in stemmers}
    for _ in range(args.repeats):
        for name, stemmer in stemmers.items():
            started = time.perf_counter()
            for word in sent:
                stemmer.stem_word(word)
            times[name].append(time.perf_counter() - started)

    print(
        f"words: {len(raw_words):,} distinct export words + {len(pipeline_words):,} words "
        f"reaching the stemmer in a fit on {len(texts):,} Surabaya and Kab. Bandung texts "
        f"= {len(words):,} distinct words; checked in {check_seconds:.1f} s"
    )
    print(f"mismatches with PySastrawi: {len(mismatches)}")
    for m in mismatches[:20]:
        print(f"  {m.word}: ours {m.ours!r}, PySastrawi {m.sastrawi!r}")
    print(f"\nspeed on the {len(sent):,} words sent to the stemmer; medians of {args.repeats}\n")
    print("| stemmer | seconds | µs/word | ratio |")
    print("|---|---:|---:|---:|")
    base = statistics.median(times["PySastrawi `Stemmer.stem_word`"])
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"| {name} | {median:.2f} | {median / len(sent) * 1e6:.0f} | {base / median:.1f}x |")


if __name__ == "__main__":
    main()
