"""``python -m airace`` runs the CLI."""

from airace.cli import main

main()
