"""airace: an open observatory of the global AI race.

The library is usable from Python alone; the CLI, API and dashboard are thin adapters over it.
Public names are imported lazily so that ``import airace`` stays cheap for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "open_store"]

if TYPE_CHECKING:
    from airace.store.repository import open_store


def __getattr__(name: str) -> Any:
    if name == "open_store":
        from airace.store.repository import open_store

        return open_store
    raise AttributeError(f"module 'airace' has no attribute {name!r}")
