"""Request and response bodies, one schema per direction, with length limits.

Request schemas are strict (no coercion of numbers to strings) and reject unknown fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lapor_nlp.service.routing import COMPLAINT_ID_PATTERN as COMPLAINT_ID_PATTERN

VERSION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$"

EXAMPLE_TEXT = (
    "Jalan poros Samarinda-Bontang di km 12 rusak parah dan berlubang besar, sudah tiga bulan "
    "tidak diperbaiki. Mohon segera ditangani karena sering terjadi kecelakaan."
)
EXAMPLE_ROUTE: dict[str, Any] = {
    "text": EXAMPLE_TEXT,
    "title": "Jalan rusak di poros Samarinda-Bontang",
    "complaint_id": "LAPOR-2024-000123",
    "channel": "web",
    "top_k": 3,
}
EXAMPLE_RESULT: dict[str, Any] = {
    "complaint_id": "LAPOR-2024-000123",
    "model_version": "20250101-120000-ab12",
    "decision": "auto",
    "opd": [
        {
            "code": "DPUPR",
            "name": "Dinas Pekerjaan Umum, Penataan Ruang dan Perumahan Rakyat",
            "confidence": 0.91,
        },
        {"code": "DISHUB", "name": "Dinas Perhubungan", "confidence": 0.04},
        {"code": "BPBD", "name": "Badan Penanggulangan Bencana Daerah", "confidence": 0.02},
    ],
    "category": [
        {"code": "INFRASTRUKTUR", "name": "Infrastruktur dan Pekerjaan Umum", "confidence": 0.88},
    ],
    "explanation": [{"term": "jalan", "weight": 1.8}, {"term": "berlubang", "weight": 1.2}],
}


def _usable_string(value: str | None) -> str | None:
    if value is None:
        return None
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an unpaired Unicode surrogate") from None
    return value


class StrictIn(BaseModel):
    """Base of request bodies: unknown fields and type coercion are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class RouteFields(StrictIn):
    """The fields of one complaint to route; limits that come from the settings
    (``LAPOR_MAX_TEXT_CHARS``) are checked when the request is served."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ROUTE]})

    text: str = Field(
        description=(
            "Isi pengaduan (teks bebas, tidak kosong, paling panjang LAPOR_MAX_TEXT_CHARS, "
            "bawaan 20.000 karakter). Data pribadi disamarkan sebelum disimpan."
        ),
    )
    title: str | None = Field(default=None, max_length=500, description="Judul pengaduan")
    complaint_id: str | None = Field(
        default=None,
        max_length=64,
        description=(
            "ID pengaduan dari sistem asal (huruf, angka, `._:-`; tanpa data pribadi); "
            "dibuat otomatis bila kosong"
        ),
        json_schema_extra={"pattern": COMPLAINT_ID_PATTERN},
    )
    channel: str | None = Field(
        default=None,
        max_length=64,
        description=(
            "Kanal masuk, mis. web, sms, whatsapp (dibaca model yang dilatih dengan kolom "
            "channel, ditulis seperti pada data latihnya, mis. `Sumber Laporan` ekspor LAPOR!)"
        ),
    )
    top_k: int | None = Field(
        default=None, ge=1, le=10, description="Jumlah OPD/kategori teratas (bawaan 3)"
    )
    address: str | None = Field(
        default=None,
        max_length=500,
        description=(
            "Alamat/lokasi masalah (dibaca model yang dilatih dengan alamat; nomor rumah dan "
            "RT/RW tidak dipakai). Tidak disimpan."
        ),
    )
    kecamatan: str | None = Field(
        default=None, max_length=100, description="Kecamatan lokasi masalah. Tidak disimpan."
    )
    kelurahan: str | None = Field(
        default=None,
        max_length=100,
        description="Kelurahan/desa lokasi masalah. Tidak disimpan.",
    )

    @field_validator("text", "title", "channel", "address", "kecamatan", "kelurahan")
    @classmethod
    def _usable(cls, value: str | None) -> str | None:
        return _usable_string(value)


class RouteIn(RouteFields):
    """One complaint to route."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ROUTE]})

    text: str = Field(
        min_length=1,
        description=(
            "Isi pengaduan (teks bebas, paling panjang LAPOR_MAX_TEXT_CHARS, bawaan 20.000 "
            "karakter). Data pribadi disamarkan sebelum disimpan."
        ),
        json_schema_extra={"pattern": r"\S"},
    )

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty or whitespace only")
        return value


class BatchIn(StrictIn):
    """Several complaints routed in one call (at most LAPOR_MAX_BATCH_ITEMS, default 1,000).

    Each item is checked on its own: an item that cannot be routed (empty text, too long, an
    unsafe complaint id) gets an error in its place of the answer, the others are routed.
    """

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [EXAMPLE_ROUTE]}]})

    items: list[RouteFields] = Field(min_length=1)


class LabelScoreOut(BaseModel):
    """A suggested label with its name and probability."""

    code: str
    name: str
    confidence: float


class TermOut(BaseModel):
    """A word of the complaint and its weight for the top OPD."""

    term: str
    weight: float


class AuthorityOut(BaseModel):
    """Likely not the province's matter (bukan wewenang provinsi): the level it belongs to."""

    level: Literal["kabkota", "pusat", "bumn"] = Field(
        description="kabkota: kabupaten/kota or kelurahan/kecamatan/desa; pusat: central "
        "government or its vertical offices (police, BPN, national roads); bumn: a state "
        "company or national body (PLN, BPJS, Pertamina)"
    )
    confidence: float = Field(description="the authority head's probability of that level")


AUTHORITY_FIELD = (
    "Set when the complaint is most likely another level's matter; the decision is then "
    "`review` and the OPD suggestions stay. Null when it is the province's."
)


class RouteOut(BaseModel):
    """The routing of one complaint."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_RESULT]})

    complaint_id: str
    model_version: str
    decision: Literal["auto", "review", "needs_info"]
    opd: list[LabelScoreOut]
    category: list[LabelScoreOut]
    explanation: list[TermOut]
    authority: AuthorityOut | None = Field(default=None, description=AUTHORITY_FIELD)


class ErrorItem(BaseModel):
    """One field's problem."""

    field: str
    problem: str


class ItemErrorOut(BaseModel):
    """An item of a batch that was not routed, and why."""

    index: int = Field(description="position of the item in `items`")
    error: ErrorItem


class BatchOut(BaseModel):
    """The answer for each item of a batch, in request order."""

    results: list[RouteOut | ItemErrorOut] = Field(
        description="one entry per item, in order: its routing, or why it was not routed"
    )


class StoredScoreOut(BaseModel):
    """A stored suggestion with the label's name."""

    code: str
    name: str
    confidence: float


class PredictionOut(BaseModel):
    """One stored routing of a complaint."""

    model_version: str
    decision: str
    opd: list[StoredScoreOut]
    category: list[StoredScoreOut]
    explanation: list[TermOut]
    authority: AuthorityOut | None = Field(default=None, description=AUTHORITY_FIELD)
    created_at: datetime
    audit: bool = Field(
        default=False, description="drawn from the would-be auto routings for an operator's audit"
    )
    guard_state: str | None = Field(
        default=None, description="the auto-route guard's state when this routing was answered"
    )


class FeedbackOut(BaseModel):
    """An operator's verdict (operator and note masked)."""

    feedback_id: int
    complaint_id: str
    verdict: Literal[
        "accept", "correct", "recategorize", "not_authority", "incomplete", "withdrawn"
    ] = Field(description="the latest row is the complaint's verdict; `withdrawn`: undone")
    opd: str | None
    category: str | None
    operator: str
    note: str | None
    model_version: str | None = Field(description="model of the latest routing at that time")
    predicted_opd: str | None = Field(description="its top OPD at that time")
    created_at: datetime
    supersedes_id: int | None = Field(default=None, description="the verdict this one replaced")


class ComplaintOut(BaseModel):
    """A stored complaint (personal data masked) with its routings and feedback."""

    complaint_id: str
    text: str
    title: str | None
    channel: str | None
    created_at: datetime
    updated_at: datetime
    predictions: list[PredictionOut]
    feedback: list[FeedbackOut]


class OpdOut(BaseModel):
    """An OPD: code, name and what it handles."""

    code: str
    name: str
    handles: str


class CategoryOut(BaseModel):
    """A category: code and name."""

    code: str
    name: str


class TaxonomyOut(BaseModel):
    """The OPDs and categories complaints are routed to."""

    opd: list[OpdOut]
    category: list[CategoryOut]


class ModelOut(BaseModel):
    """A model version with its status, metrics and comparison report."""

    version: str
    status: Literal["candidate", "active", "retired"]
    created_at: str
    activated_at: str | None = None
    retired_at: str | None = None
    parent_version: str | None = Field(default=None, description="the model it was retrained from")
    job_id: str | None = Field(default=None, description="the retraining job that made it")
    metrics: dict[str, Any]
    comparison: dict[str, Any] | None = Field(
        default=None,
        description=(
            "candidate vs. the model it was retrained from (summary); `verified`: both models' "
            "auto decisions on the held-out operator corrections (`n`) and held-out complaints "
            "judged not_authority or incomplete (`unlabelled`, where auto is wrong); "
            "`feedback_weight`: the weight of corrections and how it was chosen"
        ),
    )


class ModelsOut(BaseModel):
    """Every model version, newest first."""

    models: list[ModelOut]
    active_version: str | None
    loaded_version: str | None = Field(description="the version this server process routes with")


class ActiveModelOut(ModelOut):
    """The active model version."""

    loaded_version: str | None


class PromotionOut(BaseModel):
    """The outcome of a promotion or rollback."""

    version: str = Field(description="the model that is now active")
    previous_version: str | None
    loaded_version: str | None = Field(description="the version this server process routes with")


class ErrorOut(BaseModel):
    """An error: what is wrong, the request id, and per-field problems."""

    detail: str
    request_id: str
    errors: list[ErrorItem] | None = None


class HealthOut(BaseModel):
    """Liveness."""

    status: str


class ReadyOut(BaseModel):
    """Readiness, with the reason when not ready."""

    status: Literal["ready", "unavailable"]
    model_version: str | None
    reasons: list[str]
