"""The one training-data validator, shared by the ``train`` command, the API and the trainer.

It turns a frame with a text column and label column(s) into clean lists, or raises
:class:`~lapor_nlp.errors.DataValidationError` with a message that says what to fix.
Fixable problems (empty texts, singleton classes, duplicates) become warnings instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from lapor_nlp.errors import DataValidationError, UnknownLabelError
from lapor_nlp.taxonomy import Taxonomy

_MAX_NAMED = 10


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
    """

    texts: list[str]
    opd: list[str]
    category: list[str] | None
    warnings: list[str] = field(default_factory=list)
    n_rows_in: int = 0

    def __len__(self) -> int:
        return len(self.texts)


def validate_training_frame(
    df: pd.DataFrame,
    *,
    text_col: str,
    opd_col: str,
    category_col: str | None = None,
    taxonomy: Taxonomy | None = None,
    min_examples: int = 2,
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
    >>> frame = pd.DataFrame({"t": ["jalan rusak", "sampah", "lampu mati", ""],
    ...                       "o": ["PU", "DLH", "PU", "DLH"]})
    >>> data = validate_training_frame(frame, text_col="t", opd_col="o")
    >>> data.opd, len(data.warnings)
    (['PU', 'PU'], 2)
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

    frame = _drop_small_classes(frame, "opd", opd_col, min_examples, min_classes, warnings)
    if category_col:
        frame = _drop_small_classes(
            frame, "category", category_col, min_examples, min_classes, warnings
        )
        # dropping rare categories may have shrunk an agency below the minimum again
        frame = _drop_small_classes(frame, "opd", opd_col, min_examples, min_classes, warnings)

    _warn_duplicates(frame, warnings)
    return ValidatedData(
        texts=frame["text"].tolist(),
        opd=frame["opd"].tolist(),
        category=frame["category"].tolist() if category_col else None,
        warnings=warnings,
        n_rows_in=n_rows_in,
    )


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
