"""``airace serve``: the REST API and the dashboard in one process."""

from __future__ import annotations

from typing import Annotated

import typer

from airace.cli.common import DbOption, console


def serve_command(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each opens the store).")
    ] = 1,
) -> None:
    """Serve the API (OpenAPI at /docs) and the web dashboard (at /).

    Writes (ingest, review, scenario) need AIRACE_TOKEN set; without it they are disabled.

    Example: AIRACE_TOKEN=secret airace serve --port 8000
    """
    import os

    import uvicorn

    from airace.config import get_settings

    if db is not None:
        os.environ["AIRACE_DB"] = db  # workers build their app from the environment
        get_settings.cache_clear()
    settings = get_settings()
    writes = "enabled (token set)" if settings.token else "disabled (set AIRACE_TOKEN)"
    console.print(
        f"airace on http://{host}:{port}/  API docs /docs  database {settings.db}  writes {writes}",
        markup=False,
    )
    uvicorn.run(
        "airace.server:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def register(app: typer.Typer) -> None:
    """Add the commands of this module to the app."""
    app.command("serve")(serve_command)
