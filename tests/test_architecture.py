"""Rules of the house that a test can hold: thin interfaces, nothing heavy at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "airace"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_interfaces_never_import_sqlalchemy() -> None:
    offenders = {
        str(path.relative_to(PACKAGE))
        for folder in ("cli", "api", "web")
        for path in (PACKAGE / folder).rglob("*.py")
        if any(name.split(".")[0] == "sqlalchemy" for name in imported_modules(path))
    }
    assert offenders == set()


def test_cli_start_up_imports_no_heavy_library() -> None:
    heavy = ["sqlalchemy", "alembic", "trafilatura", "lingua", "httpx", "pandas", "numpy"]
    probe = f"import sys, airace.cli; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
