"""``lapor-nlp import-lapor``: SP4N-LAPOR! admin export -> ``text,opd,category`` training CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lapor_nlp.errors import DataValidationError, LaporError

if TYPE_CHECKING:
    from lapor_nlp.data.lapor_export import ImportSummary

console = Console()
err_console = Console(stderr=True)
SHOWN_LABELS = 40


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the app."""
    app.command("import-lapor")(import_lapor)


def import_lapor(
    export: Annotated[
        Path, typer.Argument(help="SP4N-LAPOR! export (Laporan Ringkas .xlsx, or .csv).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output file (.csv or .xlsx).")],
    drop_archived: Annotated[
        bool, typer.Option("--drop-archived", help="Drop archived and blocked reports.")
    ] = False,
    merge: Annotated[
        list[str] | None,
        typer.Option(
            "--merge",
            help="PATTERN=LABEL: agencies matching the regular expression (case-insensitive) "
            "become LABEL. Repeatable; the first matching rule wins.",
        ),
    ] = None,
    merge_territorial: Annotated[
        str | None,
        typer.Option(
            "--merge-territorial",
            help="Fold every 'Kecamatan …', 'Kelurahan …', 'Desa …' agency into this one class.",
        ),
    ] = None,
    min_reports: Annotated[
        int,
        typer.Option(
            "--min-reports", min=0, help="Agencies with fewer reports are folded or dropped."
        ),
    ] = 0,
    fold_into: Annotated[
        str | None,
        typer.Option("--fold-into", help="Class for agencies below --min-reports (else dropped)."),
    ] = None,
    keep_personal_data: Annotated[
        bool,
        typer.Option(
            "--keep-personal-data", help="Do not mask NIK, phone numbers, e-mails… in texts."
        ),
    ] = False,
    keep_unlabelled: Annotated[
        bool,
        typer.Option("--keep-unlabelled", help="Keep reports without an agency (empty opd)."),
    ] = False,
) -> None:
    """Convert an SP4N-LAPOR! export into training rows text,opd,category.

    text = Judul Laporan + ". " + Isi Laporan Awal (personal data masked); agency spellings are
    unified (Kab./Kabupaten, case, spaces). Reporter names are never written. When the export
    has them, the structured fields follow as columns address, kecamatan, kelurahan (from
    Kecamatan, Kelurahan) and channel (from Sumber Laporan), masked like the text; train and
    predict read them.
    """
    try:
        from lapor_nlp.data.io import write_table
        from lapor_nlp.data.labels import MergeRule
        from lapor_nlp.data.lapor_export import ImportOptions, import_lapor_export

        if fold_into and min_reports <= 1:
            raise DataValidationError("--fold-into needs --min-reports N (N >= 2)")
        options = ImportOptions(
            drop_archived=drop_archived,
            merges=tuple(MergeRule.parse(spec) for spec in merge or []),
            territorial_label=merge_territorial,
            min_reports=min_reports,
            fold_into=fold_into,
            keep_personal_data=keep_personal_data,
            keep_unlabelled=keep_unlabelled,
        )
        rows, summary = import_lapor_export(export, options)
        if rows.empty:
            raise DataValidationError(
                f"no rows left after the import of {export}: {_dropped_text(summary.dropped)}"
            )
        write_table(rows, out)
    except LaporError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(code=2) from None
    _print_summary(export, out, summary)


def _print_summary(export: Path, out: Path, summary: ImportSummary) -> None:
    overview = Table(title=f"Imported {export.name}", show_header=False)
    overview.add_column("what")
    overview.add_column("n", justify="right")
    overview.add_row("rows in", str(summary.rows_in))
    for reason, n in summary.dropped.items():
        if n:
            overview.add_row(f"  dropped: {reason}", str(n))
    overview.add_row("rows out", str(summary.rows_out))
    overview.add_row("agency labels", str(len(summary.opd_counts)))
    overview.add_row("  respelled (Kab./case/spaces)", str(summary.labels_respelled))
    if summary.folded:
        overview.add_row("  folded/dropped rare agencies", str(len(summary.folded)))
    overview.add_row("category labels", str(len(summary.category_counts)))
    overview.add_row("structured fields", ", ".join(summary.fields) or "none in the export")
    overview.add_row("personal data", "masked" if summary.masked else "[red]KEPT[/]")
    console.print(overview)

    labels = Table(title="Agency labels")
    labels.add_column("opd")
    labels.add_column("reports", justify="right")
    for label, n in summary.opd_counts.most_common(SHOWN_LABELS):
        labels.add_row(label, str(n))
    if len(summary.opd_counts) > SHOWN_LABELS:
        labels.add_row(f"… {len(summary.opd_counts) - SHOWN_LABELS} more", "")
    console.print(labels)
    console.print(f"wrote {summary.rows_out} rows to {out}", highlight=False)


def _dropped_text(dropped: dict[str, int]) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in dropped.items() if n) or "nothing dropped"
