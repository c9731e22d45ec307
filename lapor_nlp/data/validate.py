"""The one training-data validator, shared by the ``train`` command, the API and the trainer.

It turns a frame with a text column and label column(s) into clean lists, or raises
:class:`~lapor_nlp.errors.DataValidationError` with a message that says what to fix.
Fixable problems (empty texts, singleton classes, duplicates) become warnings instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from lapor_nlp.data.fields import ComplaintFields, fields_from_frame
from lapor_nlp.errors import DataValidationError, UnknownLabelError
from lapor_nlp.taxonomy import Taxonomy

_MAX_NAMED = 10
MIN_EXAMPLES = 2
RareCategory = Literal["drop", "usual", "keep"]


@dataclass(frozen=True)
class ValidatedData:
    """Clean, aligned training data.

    Attributes
    ----------
    texts : list of str
        Stripped, non-empty complaint texts.
    opd : list of str
        Agency label per text (stripped).
    category : list of str or None
        Category label per text, or None when no category column was given.
    warnings : list of str
        What was dropped or looks suspicious, in plain words.
    n_rows_in : int
        Rows in the frame before anything was dropped.
    fields : list of ComplaintFields or None
        Structured fields per text, or None when the frame has no field column
        (:data:`~lapor_nlp.data.fields.FIELD_COLUMNS`).
    """

    texts: list[str]
    opd: list[str]
    category: list[str] | None
    warnings: list[str] = field(default_factory=list)
    n_rows_in: int = 0
    fields: list[ComplaintFields] | None = None

    def __len__(self) -> int:
        return len(self.texts)


def validate_training_frame(
    df: pd.DataFrame,
    *,
    text_col: str,
    opd_col: str,
    category_col: str | None = None,
    taxonomy: Taxonomy | None = None,
    min_examples: int = MIN_EXAMPLES,
    min_classes: int = 2,
) -> ValidatedData:
    """Check a training frame and return its texts and labels.

    Parameters
    ----------
    df : pandas.DataFrame
        The data as read (e.g. by :func:`lapor_nlp.data.io.read_table`).
    text_col, opd_col : str
        Column with the complaint text and with the responsible agency.
    category_col : str, optional
        Column with the category label; when given, rows without one are dropped.
    taxonomy : Taxonomy, optional
        When given, every label must be one of its codes.
    min_examples : int, default 2
        Classes with fewer examples are dropped (with a warning).
    min_classes : int, default 2
        Fewer classes left than this is an error.

    Raises
    ------
    DataValidationError
        Missing columns, no usable rows, too few classes.
    UnknownLabelError
        Labels outside the taxonomy (all of them are named).

    Examples
    --------
    >>> frame = pd.DataFrame({"t": ["jalan rusak", "sampah", "lampu mati", "", "got mampet"],
    ...                       "o": ["PU", "DLH", "PU", "DLH", "DLH"]})
    >>> data = validate_training_frame(frame, text_col="t", opd_col="o")
    >>> data.opd, len(data.warnings)
    (['PU', 'DLH', 'PU', 'DLH'], 1)
    """
    _check_columns(df, [text_col, opd_col] + ([category_col] if category_col else []))
    warnings: list[str] = []
    n_rows_in = len(df)
    if n_rows_in == 0:
        raise DataValidationError("the data has no rows")

    frame = pd.DataFrame(
        {
            "text": _clean_strings(df[text_col]),
            "opd": _clean_strings(df[opd_col]),
            "category": _clean_strings(df[category_col]) if category_col else "",
        }
    )
    row_fields = fields_from_frame(df)
    if row_fields is not None:
        frame["fields"] = pd.Series(row_fields, index=frame.index, dtype=object)
    frame = _drop_empty(frame, "text", f"an empty text ({text_col!r})", warnings)
    frame = _drop_empty(frame, "opd", f"no label in {opd_col!r}", warnings)
    if category_col:
        frame = _drop_empty(frame, "category", f"no label in {category_col!r}", warnings)
    if frame.empty:
        raise DataValidationError(
            f"no usable rows: every row lacks a text in {text_col!r} or a label"
        )

    if taxonomy is not None:
        _check_taxonomy(frame, taxonomy, opd_col, category_col)

    frame = _enforce_min_examples(
        frame,
        opd_col=opd_col,
        category_col=category_col,
        min_examples=min_examples,
        min_classes=min_classes,
        rare_category="drop",
        warnings=warnings,
    )
    _warn_duplicates(frame, warnings)
    return ValidatedData(
        texts=frame["text"].tolist(),
        opd=frame["opd"].tolist(),
        category=frame["category"].tolist() if category_col else None,
        warnings=warnings,
        n_rows_in=n_rows_in,
        fields=None if row_fields is None else frame["fields"].tolist(),
    )


def apply_label_policy(
    texts: Sequence[str],
    opd: Sequence[str],
    category: Sequence[str] | None = None,
    *,
    min_examples: int = MIN_EXAMPLES,
    min_classes: int = 2,
    rare_category: RareCategory = "drop",
    fields: Sequence[ComplaintFields] | None = None,
) -> ValidatedData:
    """Apply the rare-label policy of :func:`validate_training_frame` to rows already in lists.

    The retraining job calls this on base data plus operators' corrections, so the two kinds of
    rows follow one rule: an OPD with fewer than ``min_examples`` rows is dropped; a rare
    category is dropped (``"drop"``, for curated training files) or takes its OPD's usual
    category (``"usual"``, for corrections, where one odd category should not cost the row).

    Parameters
    ----------
    texts, opd : sequence of str
        Complaint texts and their agency labels, aligned.
    category : sequence of str, optional
        Category labels, aligned; None when there is no category head.
    min_examples : int, default 2
        Fewest rows a class needs to be kept.
    min_classes : int, default 2
        Fewer OPD (or category) classes left than this is an error.
    rare_category : {"drop", "usual", "keep"}
        What happens to the rows of a rare category; ``"keep"`` leaves it (the category head
        learns only categories it has at least two rows of).
    fields : sequence of ComplaintFields, optional
        Structured fields, aligned; kept with their rows.

    Examples
    --------
    >>> data = apply_label_policy(
    ...     ["a", "b", "c", "d", "e", "f"],
    ...     ["X", "X", "Y", "Y", "Y", "Z"],
    ...     ["K1", "K1", "K2", "K2", "K9", "K3"],
    ...     rare_category="usual",
    ... )
    >>> data.opd, data.category
    (['X', 'X', 'Y', 'Y', 'Y'], ['K1', 'K1', 'K2', 'K2', 'K2'])
    """
    frame = pd.DataFrame(
        {
            "text": list(texts),
            "opd": list(opd),
            "category": list(category) if category is not None else "",
        }
    )
    if fields is not None:
        frame["fields"] = pd.Series(list(fields), index=frame.index, dtype=object)
    warnings: list[str] = []
    frame = _enforce_min_examples(
        frame,
        opd_col="opd",
        category_col=None if category is None else "category",
        min_examples=min_examples,
        min_classes=min_classes,
        rare_category=rare_category,
        warnings=warnings,
    )
    return ValidatedData(
        texts=frame["text"].tolist(),
        opd=frame["opd"].tolist(),
        category=None if category is None else frame["category"].tolist(),
        warnings=warnings,
        n_rows_in=len(texts),
        fields=None if fields is None else frame["fields"].tolist(),
    )


def usual_categories(
    opd: Sequence[str], category: Sequence[str], *, min_examples: int = MIN_EXAMPLES
) -> dict[str, str]:
    """Each OPD's most frequent category among categories with at least ``min_examples`` rows.

    The one default-category rule: a correction without a category, and a rare category in the
    retraining data, both take their OPD's usual category. Ties go to the pair seen first.

    >>> usual_categories(["X", "X", "X", "Y"], ["K1", "K2", "K2", "K1"], min_examples=1)
    {'X': 'K2', 'Y': 'K1'}
    """
    counts = Counter(category)
    usual: dict[str, str] = {}
    for (o, c), _ in Counter(zip(opd, category, strict=True)).most_common():
        if counts[c] >= min_examples:
            usual.setdefault(o, c)
    return usual


def _enforce_min_examples(
    frame: pd.DataFrame,
    *,
    opd_col: str,
    category_col: str | None,
    min_examples: int,
    min_classes: int,
    rare_category: RareCategory,
    warnings: list[str],
) -> pd.DataFrame:
    frame = _drop_small_classes(frame, "opd", opd_col, min_examples, min_classes, warnings)
    if not category_col:
        return frame
    if rare_category == "keep":
        return frame
    if rare_category == "drop":
        frame = _drop_small_classes(
            frame, "category", category_col, min_examples, min_classes, warnings
        )
    else:
        frame = _rare_to_usual(frame, category_col, min_examples, warnings)
    # dropping rare categories may have shrunk an agency below the minimum again
    return _drop_small_classes(frame, "opd", opd_col, min_examples, min_classes, warnings)


def _rare_to_usual(
    frame: pd.DataFrame, column: str, min_examples: int, warnings: list[str]
) -> pd.DataFrame:
    counts = Counter(frame["category"])
    rare = sorted(label for label, n in counts.items() if n < min_examples)
    if not rare:
        return frame
    usual = usual_categories(
        frame["opd"].tolist(), frame["category"].tolist(), min_examples=min_examples
    )
    warnings.append(
        f"rows of {len(rare)} category(ies) with fewer than {min_examples} examples in "
        f"{column!r} take their OPD's usual category: {_name_counts(rare, counts)}"
    )
    frame = frame.assign(
        category=[
            usual.get(o, "") if c in rare else c
            for o, c in zip(frame["opd"], frame["category"], strict=True)
        ]
    )
    return _drop_empty(frame, "category", "an OPD that has no usual category", warnings)


def _check_columns(df: pd.DataFrame, required: list[str]) -> None:
    present = [str(c) for c in df.columns]
    missing = [c for c in required if c not in present]
    if missing:
        raise DataValidationError(
            f"missing column(s): {', '.join(repr(c) for c in missing)}; "
            f"the data has: {', '.join(repr(c) for c in present) or '(no columns)'}"
        )


def _clean_strings(column: pd.Series) -> pd.Series:
    return column.map(lambda v: "" if v is None or v != v else str(v).strip()).astype(object)


def _drop_empty(frame: pd.DataFrame, key: str, reason: str, warnings: list[str]) -> pd.DataFrame:
    empty = frame[key] == ""
    n_empty = int(empty.sum())
    if n_empty:
        warnings.append(f"dropped {n_empty} row(s) with {reason}")
    return frame.loc[~empty]


def _check_taxonomy(
    frame: pd.DataFrame, taxonomy: Taxonomy, opd_col: str, category_col: str | None
) -> None:
    try:
        taxonomy.check_opd(frame["opd"].unique().tolist())
        if category_col:
            taxonomy.check_category(frame["category"].unique().tolist())
    except UnknownLabelError as exc:
        column = opd_col if "OPD" in str(exc) else category_col
        raise UnknownLabelError(
            f"column {column!r}: {exc}; use the taxonomy's codes or train without a taxonomy"
        ) from exc


def _drop_small_classes(
    frame: pd.DataFrame,
    key: str,
    column: str,
    min_examples: int,
    min_classes: int,
    warnings: list[str],
) -> pd.DataFrame:
    counts = Counter(frame[key])
    small = sorted((label for label, n in counts.items() if n < min_examples), key=str)
    if small:
        rows = sum(counts[label] for label in small)
        warnings.append(
            f"dropped {rows} row(s) of class(es) with fewer than {min_examples} examples "
            f"in {column!r}: {_name_counts(small, counts)}"
        )
        frame = frame.loc[~frame[key].isin(small)]
    n_left = frame[key].nunique()
    if n_left < min_classes:
        raise DataValidationError(
            f"column {column!r} has {n_left} class(es) with at least {min_examples} examples; "
            f"need at least {min_classes}: add examples or merge small classes"
        )
    return frame


def _name_counts(labels: list[str], counts: Counter[str]) -> str:
    shown = ", ".join(f"{label!r} ({counts[label]})" for label in labels[:_MAX_NAMED])
    more = len(labels) - _MAX_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def _warn_duplicates(frame: pd.DataFrame, warnings: list[str]) -> None:
    duplicated = frame["text"].duplicated(keep="first")
    n_dup = int(duplicated.sum())
    if not n_dup:
        return
    conflicting = frame.groupby("text", sort=False)["opd"].nunique()
    n_conflict = int((conflicting > 1).sum())
    message = f"{n_dup} duplicate text(s) (kept; they may inflate evaluation scores)"
    if n_conflict:
        message += f"; {n_conflict} text(s) appear with different agency labels"
    warnings.append(message)
