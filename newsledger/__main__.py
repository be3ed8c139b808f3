"""``python -m newsledger`` runs the command line."""

from newsledger.cli import main

main()
