"""The ``airace`` command line: one module per command group, each a thin adapter.

Commands import the library lazily inside their bodies, so ``airace --help`` stays fast.
"""

from __future__ import annotations

import typer

from airace.cli import (
    claims,
    compare,
    db,
    documents,
    export,
    extract,
    ingest,
    rankings,
    reconcile,
    report,
    serve,
)

app = typer.Typer(
    name="airace",
    help="An open observatory of the global AI race: news text to evidence, evidence to rankings.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
ingest.register(app)
documents.register(app)
extract.register(app)
claims.register(app)
reconcile.register(app)
rankings.register(app)
compare.register(app)
export.register(app)
report.register(app)
serve.register(app)
app.add_typer(db.app, name="db")


def main() -> None:
    """Run the CLI."""
    app()
