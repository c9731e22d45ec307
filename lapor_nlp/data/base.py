"""A model's base training data: where it is, and the fixed share of it that is held out.

Every model records its base data (:class:`~lapor_nlp.registry.metadata.BaseDataSpec`). A
retrain reads the same rows again, so the held-out share that scored the first model scores
every later candidate too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lapor_nlp.data.fields import ComplaintFields
from lapor_nlp.data.io import read_table
from lapor_nlp.data.validate import (
    apply_label_policy,
    usual_categories,
    validate_training_frame,
)
from lapor_nlp.errors import DataValidationError
from lapor_nlp.fingerprint import sha256_file
from lapor_nlp.paths import PROJECT_ROOT
from lapor_nlp.registry.metadata import BaseDataSpec
from lapor_nlp.taxonomy import Taxonomy

BASE_HELDOUT_SALT = "lapor-nlp/base-heldout/v1"


@dataclass
class Rows:
    """Aligned training rows: texts, OPD labels, (when there is a category head) categories
    and (when the data has them) structured fields."""

    texts: list[str] = field(default_factory=list)
    opd: list[str] = field(default_factory=list)
    category: list[str] | None = None
    fields: list[ComplaintFields] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, other: Rows) -> Rows:
        """These rows followed by ``other``'s (categories kept only when both have them;
        fields when either has them, empty for the rows of the other)."""
        both = self.category is not None and other.category is not None
        return Rows(
            self.texts + other.texts,
            self.opd + other.opd,
            (self.category or []) + (other.category or []) if both else None,
            None
            if self.fields is None and other.fields is None
            else self.fields_or_empty() + other.fields_or_empty(),
        )

    def take(self, index: Sequence[int] | np.ndarray) -> Rows:
        """The rows at ``index``, in that order."""
        return Rows(
            [self.texts[i] for i in index],
            [self.opd[i] for i in index],
            None if self.category is None else [self.category[i] for i in index],
            None if self.fields is None else [self.fields[i] for i in index],
        )

    def fields_or_empty(self) -> list[ComplaintFields]:
        """The rows' fields, empty fields for every row when they have none."""
        return list(self.fields) if self.fields is not None else [ComplaintFields()] * len(self)


@dataclass
class NotAuthority:
    """Complaints the province cannot act on, with the level that can (kabkota/pusat/bumn) and,
    where given, the provincial OPD closest by function (``""`` where not)."""

    texts: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    opd: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, other: NotAuthority) -> NotAuthority:
        """These examples followed by ``other``'s."""
        return NotAuthority(
            self.texts + other.texts, self.levels + other.levels, self.opd + other.opd
        )

    def closest_opd_rows(self, base: Rows) -> Rows:
        """The examples that name a closest OPD, as OPD training rows (category: that OPD's usual
        one in ``base``), so the suggestions an operator sees for them are that OPD."""
        usual = {} if base.category is None else usual_categories(base.opd, base.category)
        known = set(base.opd) if base.category is None else set(usual)
        keep = [i for i, opd in enumerate(self.opd) if opd in known]
        return Rows(
            [self.texts[i] for i in keep],
            [self.opd[i] for i in keep],
            None if base.category is None else [usual[self.opd[i]] for i in keep],
        )


def read_not_authority(path: Path) -> NotAuthority:
    """``title,text,level[,opd]`` rows (title and opd optional) of complaints another level owns."""
    from lapor_nlp.model.authority import OTHER_LEVELS
    from lapor_nlp.text import model_input

    frame = read_table(path)
    missing = [c for c in ("text", "level") if c not in frame.columns]
    if missing:
        raise DataValidationError(f"{path}: missing column(s) {', '.join(missing)}")
    titles = frame["title"].fillna("") if "title" in frame.columns else [""] * len(frame)
    closest_opd = frame["opd"].fillna("") if "opd" in frame.columns else [""] * len(frame)
    out = NotAuthority()
    for title, text, level, closest in zip(
        titles, frame["text"].fillna(""), frame["level"], closest_opd, strict=True
    ):
        if str(level) not in OTHER_LEVELS:
            raise DataValidationError(
                f"{path}: level {level!r} is not one of {', '.join(OTHER_LEVELS)}"
            )
        joined = model_input(str(title), str(text).strip())
        if joined:
            out.texts.append(joined)
            out.levels.append(str(level))
            out.opd.append(str(closest).strip())
    return out


@dataclass
class BaseData:
    """The base data split into its training and held-out shares, plus non-routable texts."""

    train: Rows
    heldout: Rows
    nonroutable: list[str]
    warnings: list[str] = field(default_factory=list)
    not_authority: NotAuthority = field(default_factory=NotAuthority)


def in_heldout(key: str, fraction: float, salt: str) -> bool:
    """Stable membership of a row in the held-out share, independent of file order.

    >>> in_heldout("row-1", 1.0, "salt"), in_heldout("row-1", 0.0, "salt")
    (True, False)
    """
    digest = hashlib.sha256(f"{salt}\x1f{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64 < fraction


def split_rows(rows: Rows, keys: Sequence[str], fraction: float, salt: str) -> tuple[Rows, Rows]:
    """(kept, held out): each row is held out by :func:`in_heldout` of its key.

    Parameters
    ----------
    rows : Rows
        The rows to split.
    keys : sequence of str
        One stable key per row (the text, a complaint id).
    fraction : float
        Expected held-out share.
    salt : str
        Separates independent splits of the same keys.
    """
    mask = np.array([in_heldout(k, fraction, salt) for k in keys], dtype=bool)
    return rows.take(np.flatnonzero(~mask)), rows.take(np.flatnonzero(mask))


def _portable(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _resolve(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else PROJECT_ROOT / candidate


def base_data_spec(
    path: Path,
    *,
    text_col: str,
    opd_col: str,
    category_col: str | None,
    nonroutable_path: Path | None,
    heldout_fraction: float,
    not_authority_path: Path | None = None,
    title_col: str | None = None,
) -> BaseDataSpec:
    """What a model records about its base data so a retrain can read the same rows.

    Parameters
    ----------
    path : Path
        The labelled CSV or XLSX file (stored relative to the project when inside it).
    text_col, opd_col : str
        Columns of the complaint text and of the agency label.
    category_col : str or None
        Column of the category label, if there is a category head.
    nonroutable_path : Path or None
        File with a ``text`` column of texts that cannot be routed (``needs_info``).
    heldout_fraction : float
        Share of the rows never trained on.
    not_authority_path : Path or None
        File of complaints another level owns (``title,text,level[,opd]``).
    title_col : str or None
        Column of a title: the model then reads ``title + ". " + text``.
    """
    return {
        "title_col": title_col,
        "not_authority_path": None if not_authority_path is None else _portable(not_authority_path),
        "path": _portable(path),
        "sha256": sha256_file(Path(path)),
        "text_col": text_col,
        "opd_col": opd_col,
        "category_col": category_col,
        "nonroutable_path": None if nonroutable_path is None else _portable(nonroutable_path),
        "heldout_fraction": heldout_fraction,
        "heldout_salt": BASE_HELDOUT_SALT,
    }


def load_base_data(spec: BaseDataSpec, taxonomy: Taxonomy | None = None) -> BaseData:
    """Read, validate and split the base data a model was trained on; refuse a changed file.

    Parameters
    ----------
    spec : BaseDataSpec
        As recorded by :func:`base_data_spec`.
    taxonomy : Taxonomy, optional
        When given, every label must be one of its codes.
    """
    path = _resolve(str(spec["path"]))
    if not path.is_file():
        raise DataValidationError(f"base training data {path} is missing")
    if sha256_file(path) != spec["sha256"]:
        raise DataValidationError(
            f"base training data {path} changed since the serving model was trained "
            "(SHA-256 differs); retrain from the CLI with `lapor-nlp train` instead"
        )
    frame = read_table(path)
    title_col = spec.get("title_col")
    if title_col:
        from lapor_nlp.text import model_input

        if title_col not in frame.columns:
            raise DataValidationError(f"base training data {path} has no column {title_col!r}")
        frame[spec["text_col"]] = [
            model_input(None if t != t else str(t), "" if x != x else str(x))
            for t, x in zip(frame[title_col], frame[spec["text_col"]], strict=True)
        ]
    data = validate_training_frame(
        frame,
        text_col=spec["text_col"],
        opd_col=spec["opd_col"],
        category_col=spec.get("category_col"),
        taxonomy=taxonomy,
    )
    rows = Rows(data.texts, data.opd, data.category, data.fields)
    train, heldout = split_rows(
        rows, data.texts, float(spec["heldout_fraction"]), str(spec["heldout_salt"])
    )
    # the split can leave an agency with one training row, which no head can learn
    kept = apply_label_policy(
        train.texts, train.opd, train.category, rare_category="keep", fields=train.fields
    )
    train = Rows(kept.texts, kept.opd, kept.category, kept.fields)
    nonroutable: list[str] = []
    if spec.get("nonroutable_path"):
        frame = read_table(_resolve(str(spec["nonroutable_path"])))
        nonroutable = [str(t) for t in frame["text"].dropna() if str(t).strip()]
    not_authority = NotAuthority()
    if spec.get("not_authority_path"):
        not_authority = read_not_authority(_resolve(str(spec["not_authority_path"])))
    return BaseData(train, heldout, nonroutable, data.warnings + kept.warnings, not_authority)
