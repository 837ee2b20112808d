"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations


class Site:
    """Pages served by a real HTTP server on loopback: path -> (content type, body)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.base = ""

    def add(self, path: str, body: str | bytes, content_type: str = "text/html") -> str:
        """Serve ``body`` at ``path`` and return its absolute URL."""
        self.pages[path] = (content_type, body.encode() if isinstance(body, str) else body)
        return self.base + path
