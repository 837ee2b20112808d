"""The README documents every command and every setting."""

from __future__ import annotations

from pathlib import Path

import typer.main

from airace.cli import app
from airace.config import Settings

README = (Path(__file__).parent.parent / "README.md").read_text()


def command_paths() -> list[str]:
    root = typer.main.get_command(app)
    paths = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            paths.extend(f"{name} {sub}" for sub in subcommands)
        else:
            paths.append(name)
    return paths


def test_every_command_appears_in_the_readme() -> None:
    missing = [path for path in command_paths() if f"airace {path}" not in README]
    assert missing == []


def test_every_setting_appears_in_the_readme() -> None:
    missing = [
        f"AIRACE_{name.upper()}"
        for name in Settings.model_fields
        if f"AIRACE_{name.upper()}" not in README
    ]
    assert missing == []


def test_every_command_has_help_with_an_example() -> None:
    root = typer.main.get_command(app)
    for path in command_paths():
        command = root
        for part in path.split():
            command = command.commands[part]  # type: ignore[attr-defined]
        assert command.help and "Example:" in command.help, path
