"""``airace ingest`` and ``airace demo``: store documents from files, folders, URLs, feeds."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from airace.cli.common import (
    EXIT_FAILED_ITEMS,
    DbOption,
    console,
    err_console,
    handle_errors,
    opened_store,
)

if TYPE_CHECKING:
    from airace.config import Settings
    from airace.model import RunReport
    from airace.store.repository import Store


def ingest_command(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, folders, http(s) URLs of pages or RSS/Atom feeds."),
    ],
    db: DbOption = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow URLs on private and loopback addresses (refused by default).",
        ),
    ] = False,
    max_bytes: Annotated[
        int | None,
        typer.Option("--max-bytes", min=1, help="Largest file or response to accept [20 MB]."),
    ] = None,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links", help="Read links in a folder that lead outside it (refused)."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    extract: Annotated[
        bool, typer.Option("--extract/--no-extract", help="Store each document's claims too.")
    ] = True,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Clean and extract in N local Dask worker processes."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Run on an existing Dask cluster: tcp://host:8786."),
    ] = None,
) -> None:
    """Store documents from files, folders, JSONL, WARC, web pages and RSS/Atom feeds.

    The same text is stored once, whatever path or URL it comes from. Exits with 1 when some
    item failed (each failure is printed on one line), 0 otherwise.

    Example: airace ingest articles/ https://example.org/feed.xml --db news.db
    Example: airace ingest corpus/ news.warc.gz --workers 2
    """
    from airace.config import get_settings

    overrides: dict[str, object] = {"allow_private": allow_private or get_settings().allow_private}
    if max_bytes is not None:
        overrides["max_bytes"] = max_bytes
    if follow_links:
        overrides["follow_links"] = True
    settings = get_settings().model_copy(update=overrides)
    with handle_errors(), opened_store(db) as store:
        report = _run_ingest(
            sources,
            store,
            settings,
            quiet=quiet,
            extract=extract,
            workers=workers,
            scheduler=scheduler,
        )
        _print_summary(report, store.url)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED_ITEMS)


def demo_command(db: DbOption = None) -> None:
    """Ingest the bundled sample corpus, show what was stored, and rank the countries.

    The ranking combines the curated reference figures with the claims of the samples
    (a quick one, without Monte Carlo intervals: `airace rank` adds them).

    Example: airace demo --db demo.db
    """
    from importlib.resources import as_file, files

    from airace.config import get_settings
    from airace.service.queries import list_documents
    from airace.service.rankings import rank_countries, resolve_methodology

    with (
        handle_errors(),
        as_file(files("airace") / "samples" / "articles") as samples,
        opened_store(db) as store,
    ):
        report = _run_ingest([str(samples)], store, get_settings(), quiet=True)
        _print_summary(report, store.url)
        from airace.cli.documents import print_documents

        print_documents(list_documents(store, limit=50))
        ranking = rank_countries(store, resolve_methodology(), uncertainty=False)
        from airace.cli.render import print_ranking

        print_ranking(ranking, top=15)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED_ITEMS)


def _run_ingest(
    sources: list[str],
    store: Store,
    settings: Settings,
    *,
    quiet: bool,
    extract: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
) -> RunReport:
    """Run the ingest service with a progress bar over every item of the corpus (docs/s)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from airace.ingest.sources import count_items
    from airace.model import ItemResult, ItemStatus
    from airace.service.pipeline import ingest

    counts = [count_items(source, settings) for source in sources]
    total = None if None in counts else sum(c for c in counts if c is not None)
    started = time.perf_counter()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.0f} docs/s"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=True,
    )

    def on_item(result: ItemResult) -> None:
        if result.status is ItemStatus.FAILED:
            progress.console.print(
                f"[red]failed:[/red] {result.origin}: {result.reason}", soft_wrap=True
            )
        elapsed = max(time.perf_counter() - started, 1e-9)
        done = progress.tasks[0].completed + 1
        progress.update(task, advance=1, rate=done / elapsed)

    with progress:
        task = progress.add_task("ingest", total=total, rate=0.0)
        if workers is None and scheduler is None:
            return ingest(sources, store, settings, extract=extract, on_item=on_item)
        from airace.service.parallel import ingest_parallel

        return ingest_parallel(
            sources,
            store,
            settings,
            workers=workers,
            scheduler=scheduler,
            extract=extract,
            on_item=on_item,
        )


def _print_summary(report: RunReport, url: str) -> None:
    """Print the new/duplicate/failed counts of a run."""
    console.print(
        f"{report.stored} new, {report.duplicates} duplicate, {report.failed} failed -> {url}",
        soft_wrap=True,
    )


def reextract_command(
    db: DbOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="VERSION",
            help="Only documents read by this extractor version (a prefix: 0.1.0 or 0.1.0+digest).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress.")] = False,
) -> None:
    """Read the stored documents again with the current extractor and report what changed.

    Each document is rewritten in its own transaction; claims a person reviewed are kept as
    they are. Documents already read by this extractor are skipped, so a stopped run goes on
    where it stopped. Documents stored with --no-extract get their claims here.

    Example: airace reextract
    Example: airace reextract --since 0.1.0
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from airace.service.reextract import reextract

    progress = Progress(
        SpinnerColumn(),
        TextColumn("re-reading {task.completed} documents"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=True,
    )
    with handle_errors(), opened_store(db) as store, progress:
        task = progress.add_task("reextract", total=None)
        report = reextract(store, made_by=since, on_document=lambda *_: progress.advance(task))
    for document_id, kind, text in report.examples:
        console.print(f"  doc {document_id} {kind}: {text}", soft_wrap=True, markup=False)
    console.print(
        f"{report.documents} documents re-read: {report.new} new, {report.gone} gone, "
        f"{report.changed} changed, {report.same} unchanged claims; {report.kept} reviewed "
        "claims kept",
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("ingest")(ingest_command)
    app.command("demo")(demo_command)
    app.command("reextract")(reextract_command)
