"""Exceptions the library raises.

Every error carries structured fields (the file or URL, the line, the key) and a message that
says what went wrong and, where possible, what to do. The library never prints or exits: the
CLI maps these to a message and an exit code, the API to one JSON error shape, and a batch
records them per item and goes on.
"""

from __future__ import annotations


class AiraceError(Exception):
    """Base class of all airace errors.

    Args:
        message: what went wrong, in one line.
        path: the file, URL or other origin the error is about.
        line: 1-based line number within ``path``, where it applies.
        key: the field or key path the error is about.
        hint: what the user can do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.key = key
        self.hint = hint

    @property
    def where(self) -> str | None:
        """The path with its line number, as ``file:line``; None when unknown."""
        if self.path is None:
            return None
        return self.path if self.line is None else f"{self.path}:{self.line}"

    @property
    def reason(self) -> str:
        """The message with its field and hint, without the path."""
        text = self.message
        if self.key:
            text = f"{text} (field {self.key!r})"
        if self.hint:
            text = f"{text}; {self.hint}"
        return text

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.reason}" if where else self.reason


class SourceError(AiraceError):
    """An input could not be read or understood (bad file, bad JSONL line, not a feed...)."""


class FetchError(SourceError):
    """A URL could not be fetched, or fetching it was refused (size cap, private address...)."""


class LexiconError(AiraceError):
    """A language or domain data file is malformed: unknown or missing key, empty list..."""


class StoreError(AiraceError):
    """The database could not be opened, migrated or written."""


class SchemaOutOfDate(StoreError):
    """The database schema is older than this version of airace expects."""


def describe_failure(error: BaseException) -> str:
    """Say in a few words why an unexpected exception stopped reading one item, so that a
    failure names its cause ("nested too deeply") rather than "internal error"."""
    if isinstance(error, RecursionError):
        return "nested too deeply to read"
    if isinstance(error, MemoryError):
        return "too large to read into memory"
    if isinstance(error, UnicodeError):
        return f"cannot encode or decode: {error}"
    if isinstance(error, OSError):
        reason = (error.strerror or str(error)).lower()
        return f"cannot read: {reason}"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
