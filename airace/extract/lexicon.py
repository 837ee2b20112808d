"""Language knowledge as data: reading and validating the lexicon files.

Each language has a folder ``lexicons/<lang>/`` with the same files (one per concern:
``numbers.yaml``, ``money.yaml``, ``entities.yaml``...); ``lexicons/base.yaml`` holds what is
language-neutral. Each concern's module declares the closed schema of its file and compiles what
it needs once per process; this module reads files, checks schemas and computes the digest that
goes into the extractor version, so a lexicon change is visible on every claim.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from airace.errors import LexiconError

LEXICON_DIR = Path(__file__).parent / "lexicons"


def languages() -> tuple[str, ...]:
    """Return the languages that have a lexicon folder."""
    return tuple(sorted(p.name for p in LEXICON_DIR.iterdir() if p.is_dir()))


@cache
def read_concern(lang: str | None, concern: str) -> Mapping[str, Any]:
    """Read ``lexicons/<lang>/<concern>.yaml`` (``lang`` None: ``lexicons/<concern>.yaml``).

    Raises:
        LexiconError: the file is missing, not YAML, or not a mapping.
    """
    import yaml

    path = (
        LEXICON_DIR / f"{concern}.yaml" if lang is None else LEXICON_DIR / lang / f"{concern}.yaml"
    )
    if not path.is_file():
        raise LexiconError("lexicon file missing", path=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise LexiconError(f"invalid YAML: {error}", path=str(path)) from error
    if not isinstance(data, dict):
        raise LexiconError("expected a mapping at the top level", path=str(path))
    return data


def check_keys(
    data: Mapping[str, Any],
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    path: str,
    where: str = "",
) -> None:
    """Check a mapping against a closed schema: every required key, no unknown key.

    Raises:
        LexiconError: naming the file and the key path.
    """
    required = set(required)
    allowed = required | set(optional)
    for key in data:
        if key not in allowed:
            raise LexiconError("unknown key", path=path, key=f"{where}{key}")
    for key in required:
        if key not in data:
            raise LexiconError("missing key", path=path, key=f"{where}{key}")
        value = data[key]
        if isinstance(value, list | dict) and not value:
            raise LexiconError("empty list or mapping", path=path, key=f"{where}{key}")


def concern_path(lang: str | None, concern: str) -> str:
    """Return the path of a concern's file, for error messages."""
    base = LEXICON_DIR if lang is None else LEXICON_DIR / lang
    return str(base / f"{concern}.yaml")


@cache
def lexicon_digest() -> str:
    """Return a short digest of every lexicon and domain data file (part of extractor version)."""
    digest = hashlib.sha256()
    data_dir = Path(__file__).parent.parent / "data"
    for path in sorted([*LEXICON_DIR.rglob("*.yaml"), *data_dir.rglob("*.yaml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
