"""Where the evaluation data lives: in the repository checkout, never in the installed package.

The shared corpora are in ``../shared/data`` beside the checkout; the project's own
evaluation files (counts read by hand, the reference reader's words) are in ``eval/data/`` at
its root. An installed wheel holds neither: the functions here then raise
:class:`~newsledger.errors.DataNotFound` saying which option gives the data instead.
"""

from __future__ import annotations

from pathlib import Path

from newsledger.errors import DataNotFound

__all__ = ["EVAL_DATA", "SHARED_DATA", "checkout_root", "eval_data_file", "shared_data_dir"]

#: the project's evaluation files, relative to the checkout root
EVAL_DATA = Path("eval") / "data"
#: the shared corpora, relative to the checkout root (or to the working directory)
SHARED_DATA = Path("..") / "shared" / "data"


def checkout_root() -> Path:
    """The root of the repository checkout this package runs from.

    Raises :class:`DataNotFound` when the package is installed (from a wheel) rather than
    run from a checkout.
    """
    root = Path(__file__).resolve().parents[2]
    if not ((root / "pyproject.toml").is_file() and (root / "newsledger").is_dir()):
        raise DataNotFound(
            f"newsledger is installed in {root}, not run from a repository checkout: the "
            "evaluation data is not installed with the package; run from a checkout or give --data"
        )
    return root


def shared_data_dir(name: str = "") -> Path:
    """``../shared/data/NAME``, from the working directory if it is there, else from the
    checkout (returned even when missing, so the caller reports the path it looked for)."""
    from_cwd = Path.cwd() / SHARED_DATA / name
    if from_cwd.is_dir():
        return from_cwd.resolve()
    return (checkout_root() / SHARED_DATA / name).resolve()


def eval_data_file(name: str) -> Path:
    """``eval/data/NAME`` of the checkout; :class:`DataNotFound` when it is not there."""
    path = checkout_root() / EVAL_DATA / name
    if not path.is_file():
        raise DataNotFound(f"evaluation data not found: {path} is missing")
    return path
